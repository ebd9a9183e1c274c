"""A program on a pseudo-terminal of its own, as a reader's terminal window would run it.

`setsid --ctty` (util-linux) makes the program a session leader whose controlling terminal is
the pty, so Ctrl-C typed into it reaches the foreground job and bash has job control. The
child is started with posix_spawn/vfork by subprocess instead of a fork of this process,
which keeps a page's start-up short.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import struct
import subprocess
import termios
from collections.abc import Mapping
from pathlib import Path

ROWS, COLUMNS = 24, 80


class Terminal:
    """The master side of a pty and the process on its slave side."""

    def __init__(self, argv: list[str], cwd: Path, env: Mapping[str, str]) -> None:
        master, slave = os.openpty()
        _quiet_terminal(slave)
        try:
            self._process = subprocess.Popen(
                ["setsid", "--ctty", *argv],
                stdin=slave,
                stdout=slave,
                stderr=slave,
                cwd=cwd,
                env=dict(env),
                close_fds=True,
            )
        except OSError:
            os.close(master)
            raise
        finally:
            os.close(slave)
        self.fd = master
        """Read the program's output here; write what is typed."""
        self.pid = self._process.pid
        """The program (setsid execs it in place, so it keeps this pid)."""

    @property
    def exit_status(self) -> int | None:
        """Its exit status once it has ended; None while it runs or when a signal ended it."""
        code = self._process.poll()
        return code if code is not None and code >= 0 else None

    def wait(self, timeout: float) -> int | None:
        """Its exit status, waiting up to `timeout` seconds for it to end (None if it did not)."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout)
        return self.exit_status

    def close(self, wait: float = 3.0) -> None:
        """Kill the program's process group, reap it, and close the pty; never raises."""
        with contextlib.suppress(OSError):
            os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(wait)
        with contextlib.suppress(OSError):
            os.close(self.fd)


def _quiet_terminal(fd: int) -> None:
    """80x24 and no echo: what is typed is not printed back, as with a script."""
    attributes = termios.tcgetattr(fd)
    attributes[3] &= ~termios.ECHO
    termios.tcsetattr(fd, termios.TCSANOW, attributes)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
