"""Stop what a page started: its processes (found by a marker variable) and Docker objects.

Processes: every process the page's shell starts inherits RUNNER_SESSION=<nonce>, even one that
detaches with setsid or nohup, so scanning /proc for it finds them all (unless a program clears
its environment on purpose). Docker: containers and networks are not children of the shell, so
those that exist after the page and did not exist before it are removed. Images stay as cache.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

GRACE = 3.0  # seconds between SIGTERM and SIGKILL
DOCKER_TIMEOUT = 60.0


def session_processes(nonce: str) -> list[int]:
    """Pids of live processes whose environment carries this session's marker."""
    wanted = f"RUNNER_SESSION={nonce}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if wanted in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
    return found


def kill_session(nonce: str) -> int:
    """SIGTERM every process of the session, then SIGKILL what is left; returns how many.

    The scan is repeated until it finds nothing new: a process may fork while it is killed.
    """
    seen: set[int] = set()
    deadline = time.monotonic() + GRACE
    while True:
        pids = [pid for pid in session_processes(nonce) if _alive(pid)]
        if not pids:
            return len(seen)
        seen.update(pids)
        late = time.monotonic() >= deadline
        _signal_all(pids, signal.SIGKILL if late else signal.SIGTERM)
        time.sleep(0.05)


def _signal_all(pids: list[int], sig: signal.Signals) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, sig)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


class DockerJanitor:
    """Remembers the containers and networks before a page; removes the new ones after it."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and shutil.which("docker") is not None
        self._before: tuple[set[str], set[str]] = (set(), set())

    def __enter__(self) -> DockerJanitor:
        if self.enabled:
            self._before = docker_objects()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.sweep()

    def sweep(self) -> None:
        """Remove containers, then networks, created since the page started."""
        if not self.enabled:
            return
        containers, networks = docker_objects()
        if containers - self._before[0]:
            docker("rm", "-f", "-v", *sorted(containers - self._before[0]))
        if networks - self._before[1]:
            docker("network", "rm", *sorted(networks - self._before[1]))


def docker_objects() -> tuple[set[str], set[str]]:
    """Ids of every Docker container and network now (empty without Docker).

    Both lists at once: each docker call costs a process start and an engine round trip.
    """
    if shutil.which("docker") is None:
        return set(), set()
    with ThreadPoolExecutor(max_workers=2) as pool:
        containers = pool.submit(docker, "ps", "-aq", "--no-trunc")
        networks = pool.submit(docker, "network", "ls", "-q", "--no-trunc")
        return set((containers.result() or "").split()), set((networks.result() or "").split())


def docker(*args: str, host: str | None = None) -> str | None:
    """Docker's output, or None when it failed or is missing.

    The engine is the runner's own (DOCKER_HOST, else the default socket), unless `host` names
    another: `runner reset` removes a session's objects on the engine it ran against ("" for
    the default socket).
    """
    env = None
    if host is not None:
        env = {k: v for k, v in os.environ.items() if k != "DOCKER_HOST"}
        env.update({"DOCKER_HOST": host} if host else {})
    try:
        done = subprocess.run(
            ["docker", *args],
            capture_output=True,
            text=True,
            timeout=DOCKER_TIMEOUT,
            check=False,
            env=env,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None
