"""Stop the processes a page started, found by a marker variable: the boundary without a box.

Where the kernel gives a box (guiderunner.run.box.namespace), the page's PID namespace is the
boundary and this is only `runner reset`'s sweep. Elsewhere, every process the page's shell
starts inherits RUNNER_SESSION=<nonce>, even one that detaches with setsid or nohup, so
scanning /proc for it finds them, except a program that clears its environment (`env -u`,
`env -i`): that is what the box exists for. Docker objects are not processes:
guiderunner.run.docker.owned owns those.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

GRACE = 3.0  # seconds between SIGTERM and SIGKILL


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


def process_start(pid: int) -> str | None:
    """A process's start time in clock ticks since boot, or None when it is gone.

    With the pid, it names one process for good: a pid is reused, a start time with it is not.
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[19] if len(fields) > 19 else None
