"""Process helpers: commands whose failures become one-line errors, and detached daemons.

Daemons are tracked by pid file plus the process name in /proc, so a recycled pid never makes
`down` signal a stranger, and a zombie (an exited child not yet reaped) counts as stopped.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from guiderunner.toolchain.errors import ToolchainError

SBIN = ("/usr/local/sbin", "/usr/sbin", "/sbin")
# The guide runner marks a page's processes with this variable and kills them after the page;
# the engine and the registry must outlive the page that ran `up`, so they do not inherit it.
SESSION_MARKERS = ("RUNNER_SESSION",)


def daemon_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The caller's environment with the sbin folders on PATH (dockerd needs iptables there)."""
    env = {k: v for k, v in os.environ.items() if k not in SESSION_MARKERS}
    parts = env.get("PATH", "/usr/bin:/bin").split(":")
    env["PATH"] = ":".join(parts + [p for p in SBIN if p not in parts])
    env.update(extra or {})
    return env


def tail(text: str, lines: int = 3, width: int = 200) -> str:
    """The last non-empty lines of some output, joined on one line for an error message."""
    kept = [line.strip()[:width] for line in text.splitlines() if line.strip()][-lines:]
    return " | ".join(kept)


def log_tail(path: Path, lines: int = 3) -> str:
    """The end of a log file, or a note that there is none."""
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - 16384))
            return tail(handle.read().decode(errors="replace"), lines) or f"{path} is empty"
    except OSError:
        return f"no log at {path}"


def run(
    args: Sequence[str],
    *,
    timeout: float = 120,
    check: bool = True,
    log: Path | None = None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a command to its end; with `log` its output goes there and errors quote the log."""
    try:
        if log is None:
            proc = subprocess.run(
                args,
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=cwd,
                env=env,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        else:
            with log.open("a") as handle:
                proc = subprocess.run(
                    args,
                    stdout=handle,
                    stderr=subprocess.STDOUT,
                    text=True,
                    timeout=timeout,
                    cwd=cwd,
                    env=env,
                    check=False,
                    stdin=subprocess.DEVNULL,
                )
    except FileNotFoundError:
        raise ToolchainError(f"{args[0]} is not installed") from None
    except subprocess.TimeoutExpired:
        raise ToolchainError(f"`{_short(args)}` did not finish within {timeout:.0f}s") from None
    if check and proc.returncode != 0:
        detail = log_tail(log) if log else tail(proc.stderr or proc.stdout or "")
        raise ToolchainError(f"`{_short(args)}` failed (exit {proc.returncode}): {detail}")
    return proc


def _short(args: Sequence[str]) -> str:
    """A command abbreviated for messages."""
    text = " ".join(args)
    return text if len(text) <= 80 else text[:77] + "..."


def spawn(args: Sequence[str], log: Path, env: Mapping[str, str] | None = None) -> int:
    """Start a daemon in its own session, detached from our terminal; its output goes to `log`."""
    with log.open("wb") as handle:
        try:
            proc = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env=env,
            )
        except OSError as error:
            raise ToolchainError(f"cannot start {args[0]}: {error}") from None
    return proc.pid


def read_pid(path: Path) -> int | None:
    """The pid recorded in a pid file, if any."""
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def is_running(pid: int | None, name: str) -> bool:
    """Whether `pid` is a live (not zombie) process called `name`."""
    if pid is None:
        return False
    _reap(pid)
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    comm, _, rest = stat.partition("(")[2].rpartition(")")
    return comm == name[:15] and rest.split()[0] != "Z"


def _reap(pid: int) -> None:
    """Collect an exited child of ours so it stops showing up as a zombie."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def wait_for(
    ready: Callable[[], bool], timeout: float, gave_up: Callable[[], bool] = lambda: False
) -> bool:
    """Poll `ready` with a growing interval until it holds, `gave_up` holds, or time runs out."""
    deadline = time.monotonic() + timeout
    interval = 0.05
    while True:
        if ready():
            return True
        if gave_up() or time.monotonic() >= deadline:
            return False
        time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
        interval = min(interval * 2, 1.0)


def stop(pid: int, name: str, timeout: float) -> None:
    """SIGTERM, wait until gone, SIGKILL if it ignores us; only if it is still `name`."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
        if not is_running(pid, name):
            return
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        if wait_for(lambda: not is_running(pid, name), wait):
            return
    raise ToolchainError(f"{name} (pid {pid}) did not exit after SIGKILL")
