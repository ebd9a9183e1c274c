"""How this machine boxes a page (`root`, `user`, or not at all), asked of `unshare` early.

Asking costs a process that makes the namespaces and ends: 5 to 10 ms of every page's start.
`start_asking` starts it as a page starts, so it runs while the page's workspace, record,
Docker socket and environment are made; `box_mode` takes the answer when the box is opened,
and keeps it for the process. A forked worker asks again: a child's answer is its own.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys

TIMEOUT = 10.0  # seconds `unshare` gets to answer


def create_command(mode: str) -> list[str]:
    """The `unshare` command that makes a box's namespaces, before the command it runs."""
    user = ["--user", "--map-root-user"] if mode == "user" else []
    # slave: the host's later mounts and unmounts (an engine's container layers) reach the box,
    # so it holds none of them busy; the box's own never leave it.
    mount = ["--mount", "--propagation", "slave", "--mount-proc"]
    return ["unshare", *user, "--pid", "--fork", *mount, "--kill-child", "--"]


def start_asking() -> None:
    """Start asking whether the first mode works, without waiting for the answer."""
    modes = _modes()
    if isinstance(modes, list):
        _asking(modes[0], os.getpid())


@functools.cache
def box_mode() -> str | None:
    """How this machine boxes a page: `root`, `user`, or None (said once on stderr)."""
    modes = _modes()
    if isinstance(modes, str):
        _say_unboxed(modes)
        return None
    reason = "unshare failed"
    for mode in modes:
        asked = _asking(mode, os.getpid())
        if isinstance(asked, OSError):
            reason = str(asked)
            continue
        try:
            _, said = asked.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired as error:
            asked.kill()
            asked.communicate()
            reason = str(error)
            continue
        if asked.returncode == 0:
            return mode
        lines = said.decode(errors="replace").strip().splitlines()
        reason = lines[-1] if lines else f"unshare exited with {asked.returncode}"
    _say_unboxed(reason)
    return None


def _modes() -> list[str] | str:
    """The modes to try, in order, or why there is none to try."""
    if os.environ.get("RUNNER_BOX", "").lower() in ("off", "0", "no"):
        return "RUNNER_BOX=off"
    if shutil.which("nsenter") is None:
        return "no nsenter command"
    return (["root"] if os.geteuid() == 0 else []) + ["user"]


@functools.cache
def _asking(mode: str, pid: int) -> subprocess.Popen[bytes] | OSError:
    """`unshare` making one mode's namespaces around `true`, started once per process `pid`."""
    del pid  # part of the cache's key only: a forked worker starts its own
    try:
        return subprocess.Popen(
            [*create_command(mode), "true"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    except OSError as error:
        return error


def _say_unboxed(reason: str) -> None:
    sys.stderr.write(
        f"runner: no namespaces here ({reason}); pages run unboxed: their processes are "
        "found by a marker variable, and Docker is watched only through DOCKER_HOST\n"
    )
