"""The page's box (run/box/namespace.py, run/box/mounts.py, the toolchains of run/box/home.py).

Real namespaces where the machine gives them (the tests that need one skip otherwise).
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from guiderunner.run.box import namespace
from guiderunner.run.box.home import scratch_home, toolchain_folders
from guiderunner.run.box.mounts import engine_sockets, page_mounts
from guiderunner.run.box.namespace import Box, Mount
from guiderunner.run.shell.session import ShellDied, ShellSession


def needs_box() -> str:
    mode = namespace.box_mode()
    if mode is None:
        pytest.skip("no namespaces on this machine")
    return mode


def test_a_mount_the_box_cannot_make_stops_the_page_with_its_reason(tmp_path: Path) -> None:
    box = Box(needs_box(), [Mount(tmp_path / "absent.sock", tmp_path / "target")], tmp_path)
    with box, pytest.raises(ShellDied, match=r"cannot mount .*target"):
        ShellSession(tmp_path, dict(os.environ), box=box).__enter__()


def test_the_shell_and_a_joined_command_share_one_pid_namespace(tmp_path: Path) -> None:
    with (
        Box(needs_box(), [], tmp_path) as box,
        ShellSession(tmp_path, dict(os.environ), box=box) as shell,
    ):
        inside = shell.run("readlink /proc/self/ns/pid; echo $$", 10).output.decode().split()
        assert inside[1] != "1"  # bash is not the namespace's init
        assert inside[0] != str(Path("/proc/self/ns/pid").readlink())
        joined = box.command(["readlink", "/proc/self/ns/pid"])
        assert joined[0] == "nsenter"
        assert f"--target={box.init}" in joined


def test_the_proxy_covers_every_engine_socket_and_an_overlay_each_toolchain(tmp_path: Path) -> None:
    engine = tmp_path / "engine.sock"
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(engine))
        home = tmp_path / "home"
        (home / ".cargo" / "bin").mkdir(parents=True)
        (home / ".local" / "bin").mkdir(parents=True)
        env = {"HOME": str(home), "DOCKER_HOST": f"unix://{engine}"}
        assert engine in engine_sockets(env)
        mounts = page_mounts(env, {"DOCKER_HOST": "unix:///tmp/proxy.sock"})
        targets = {m.target: m for m in mounts}
        assert targets[engine].source == Path("/tmp/proxy.sock")
        assert targets[home / ".cargo"].overlay
        assert targets[home / ".local" / "bin"].overlay
        assert page_mounts(env, {}) == [m for m in mounts if m.overlay]  # no proxy: no bind


def test_toolchains_are_linked_from_the_scratch_home_outermost_only(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (real / ".rustup").mkdir(parents=True)
    (real / ".dotnet" / "tools").mkdir(parents=True)
    workspace = tmp_path / "w"
    workspace.mkdir()
    env = {"HOME": str(real), "DOTNET_ROOT": str(real / ".dotnet")}
    assert toolchain_folders(env) == [real / ".dotnet", real / ".rustup"]
    layer = scratch_home(workspace, env)
    home = Path(layer["HOME"])
    assert (home / ".rustup").resolve() == real / ".rustup"
    assert (home / ".dotnet" / "tools").resolve() == real / ".dotnet" / "tools"
    assert not (home / ".dotnet").is_symlink()  # the .NET CLI's own files stay scratch
