"""A program spawned on a terminal: its exit seen at once, its session leader named by the kernel.

Kept apart from guiderunner.run.shell.terminal, which types into the terminal and reads it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import struct
import subprocess
import termios
import time

TIOCGSID = getattr(termios, "TIOCGSID", 0x5429)  # a pty master: its slave's session, in our PIDs


def wait_exit(process: subprocess.Popen[bytes], timeout: float) -> None:
    """Reap `process` as soon as it ends, up to `timeout` seconds.

    Popen.wait(timeout) polls with growing sleeps and may see an exit tens of milliseconds
    late; a pidfd wakes up at the exit itself (a box's end waits for its whole namespace).
    """
    with contextlib.suppress(OSError, AttributeError):
        pidfd = os.pidfd_open(process.pid)
        try:
            select.select([pidfd], [], [], timeout)
        finally:
            os.close(pidfd)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(0 if process.poll() is None else None)


def session_leader(fd: int, process: subprocess.Popen[bytes]) -> int:
    """The session the pty `fd` is the controlling terminal of, waited for (a few seconds)."""
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(OSError):
            return int(struct.unpack("i", fcntl.ioctl(fd, TIOCGSID, b"\0" * 4))[0])
        time.sleep(0.0005)
    return process.pid
