"""Exit 3 for a missing piece of the machine: one line naming it and how to get it, no traceback.

Each case runs `python -m guiderunner` as its own process, with a PATH made for it, and a page that
would pass on a complete machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def only_on_path(folder: Path, *commands: str) -> str:
    """A PATH of one folder holding links to these commands only."""
    folder.mkdir()
    for command in commands:
        found = shutil.which(command)
        assert found is not None, f"{command} is needed to build the test's PATH"
        (folder / command).symlink_to(found)
    return str(folder)


def fake_docker(folder: Path) -> None:
    """A docker client that is there but never reached: the check must not need it."""
    script = folder / "docker"
    script.write_text("#!/bin/sh\nexit 1\n")
    script.chmod(0o755)


def run(tmp_path: Path, page: str, **env: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "page.md").write_text(page, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "guiderunner", "verify", "--no-cache", "page.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_no_bash_on_path_exits_3_naming_it(tmp_path: Path) -> None:
    path = only_on_path(tmp_path / "bin", "setsid")
    result = run(tmp_path, "```console\n$ echo hi\nhi\n```\n", PATH=path)
    assert one_line(result) == "runner: no bash on PATH; install it with `apt-get install bash`"


def test_no_setsid_on_path_exits_3_naming_its_package(tmp_path: Path) -> None:
    path = only_on_path(tmp_path / "bin", "bash")
    result = run(tmp_path, "```console\n$ echo hi\nhi\n```\n", PATH=path)
    assert one_line(result) == (
        "runner: no setsid on PATH; install it with `apt-get install util-linux`"
    )


@pytest.mark.parametrize("host", ["unix:///{tmp}/no-engine.sock", "tcp://127.0.0.1:9"])
def test_docker_page_with_no_engine_exits_3_before_it_runs(tmp_path: Path, host: str) -> None:
    bin_ = tmp_path / "bin"
    path = only_on_path(bin_, "bash", "setsid", "touch")
    fake_docker(bin_)
    where = host.format(tmp=tmp_path)
    page = f"```console\n$ touch {tmp_path}/ran\n```\n\n```console\n$ docker ps\n```\n"
    line = one_line(run(tmp_path, page, PATH=path, DOCKER_HOST=where))
    assert (
        line == f"runner: no Docker engine answers at {where}; start one with `runner toolchain up`"
    )
    assert not (tmp_path / "ran").exists()


def test_docker_page_with_no_docker_client_exits_3(tmp_path: Path) -> None:
    path = only_on_path(tmp_path / "bin", "bash", "setsid")
    line = one_line(run(tmp_path, "```console\n$ docker ps\n```\n", PATH=path))
    assert line == "runner: no docker command on PATH; install it with `runner toolchain up`"
