"""A program on a pseudo-terminal of its own, as a reader's terminal window would run it.

`setsid --ctty` (util-linux) makes the program a session leader whose controlling terminal is
the pty, so Ctrl-C typed into it reaches the foreground job and bash has job control. The
child is started with posix_spawn/vfork by subprocess instead of a fork of this process,
which keeps a page's start-up short.

Typing goes through the terminal's line discipline as a reader's keystrokes do. In canonical
mode the kernel holds at most 4,095 bytes of one line, so a longer line is typed with the
terminal briefly in raw mode (see `type_long`). The process tree under the terminal is read
from /proc, to tell a command that waits for input from one that works.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Mapping
from pathlib import Path

from guiderunner.run.box.namespace import Box
from guiderunner.run.shell.spawned import session_leader, wait_exit
from guiderunner.run.shell.waits import watched

ROWS, COLUMNS = 24, 80
LINE_LIMIT = 4000  # bytes of one canonical-mode line, with room under the kernel's 4,095
LITERAL_NEXT = b"\x16"  # Ctrl-V: the next byte is taken as typed, not as Ctrl-C, Ctrl-D...
CONTROL_BYTE = re.compile(rb"[\x00-\x1f\x7f]")
# x86-64 syscall numbers (elsewhere /proc/PID/wchan decides): read and readv name the fd they
# wait on; poll, select, pselect6 and ppoll (readline waits in one) count when stdin is the tty.
READ_SYSCALLS = {"0", "19"}
POLL_SYSCALLS = {"7", "23", "270", "271"}
TTY_WAITS = {"n_tty_read", "wait_woken", "poll_schedule_timeout.constprop.0", "do_select"}


class Terminal:
    """The master side of a pty and the process on its slave side."""

    def __init__(
        self, argv: list[str], cwd: Path, env: Mapping[str, str], box: Box | None = None
    ) -> None:
        master, slave = os.openpty()
        _quiet_terminal(slave)
        self.tty = os.ttyname(slave)
        """The slave's path (/dev/pts/N): how a process's stdin is recognised as this one."""
        command = ["setsid", "--ctty", *argv]
        try:
            self._process = subprocess.Popen(
                box.command(command) if box is not None else command,
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
        self._pid = None if box is not None else self._process.pid
        if box is not None:
            box.started(self._process.pid)

    @property
    def pid(self) -> int:
        """The program: the leader of the terminal's session (`setsid --ctty` made it).

        Unboxed, setsid execs the program in place, so it is the spawned process. In a box it
        is a descendant (outside PID); the kernel names it: the pty's session (TIOCGSID).
        """
        if self._pid is None:
            self._pid = session_leader(self.fd, self._process)
        return self._pid

    @property
    def exit_status(self) -> int | None:
        """Its exit status once it has ended; None while it runs or when a signal ended it."""
        code = self._process.poll()
        return code if code is not None and code >= 0 else None

    @property
    def ended(self) -> bool:
        """Have the program and every process of its session ended?

        A process it detached into a session of its own may still hold the terminal open;
        one of its own session (an app a CLI started) may still be printing: that counts.
        """
        return self._process.poll() is not None and not _session_members(self.pid)

    def wait(self, timeout: float) -> int | None:
        """Its exit status, waiting up to `timeout` seconds for it to end (None if it did not)."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout)
        return self.exit_status

    def close(self, wait: float = 3.0, *, session_ended: bool = False) -> None:
        """Kill the program's session, reap it, and close the pty; never raises.

        The whole session, as closing a terminal window would: background jobs have process
        groups of their own, and one that cleared its environment (`env -i`) escapes the
        cleanup's marker, but not the session its shell started it in. `session_ended`: the
        kernel ended it with the page's box, so /proc is not scanned (4-12 ms a page).
        """
        if not session_ended:
            for member in _session_members(self.pid):
                with contextlib.suppress(OSError):
                    os.kill(member, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.killpg(self.pid, signal.SIGKILL)
        wait_exit(self._process, wait)
        with contextlib.suppress(OSError):
            os.close(self.fd)

    def type_line(self, line: bytes, deadline: float) -> bool:
        """Type one line and Enter, as a reader would; False if it could not be typed in time.

        Control bytes are preceded by Ctrl-V, so that a tab or an escape in a command reaches
        bash as it is written instead of acting as a key.
        """
        if len(line) >= LINE_LIMIT:
            return self.type_long(line, deadline)
        if CONTROL_BYTE.search(line):
            line = CONTROL_BYTE.sub(lambda match: LITERAL_NEXT + match[0], line)
        return self.write(line + b"\n", deadline)

    def type_long(self, line: bytes, deadline: float) -> bool:
        """A line longer than canonical mode holds: typed raw, then Enter in canonical mode.

        The line discipline would cut it at 4,095 bytes. In raw mode the reader (bash) reads
        it as it comes; once it has read every byte (its read count in /proc/PID/io says so),
        the terminal is put back as it was and only then is Enter typed, so the command never
        runs with the terminal in raw mode, and no byte is taken as Ctrl-C.
        """
        reader = self.foreground() or self.pid
        before = _bytes_read(reader)
        saved = termios.tcgetattr(self.fd)  # on a pty master: the slave's settings
        raw = list(saved)
        raw[0] = saved[0] & ~(termios.ICRNL | termios.INLCR | termios.IGNCR | termios.IXON)
        raw[3] = saved[3] & ~(termios.ICANON | termios.ISIG | termios.IEXTEN)
        raw[6] = list(saved[6])
        raw[6][termios.VMIN], raw[6][termios.VTIME] = 1, 0
        termios.tcsetattr(self.fd, termios.TCSANOW, raw)
        try:
            typed = self.write(line, deadline)
            while typed and before is not None and (_bytes_read(reader) or 0) < before + len(line):
                if time.monotonic() >= deadline:
                    typed = False
                time.sleep(0.0005)
        finally:
            termios.tcsetattr(self.fd, termios.TCSANOW, saved)
        return typed and self.write(b"\n", deadline)

    def write(self, data: bytes, deadline: float) -> bool:
        """Write everything, waiting while the terminal's input buffer is full."""
        written = 0
        with contextlib.suppress(BlockingIOError):
            written = os.write(self.fd, data)
        if written == len(data):
            return True  # the usual case: a line fits at once
        view = memoryview(data)[written:]
        while view:
            try:
                view = view[os.write(self.fd, view) :]
                continue
            except BlockingIOError:
                pass
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            select.select([], [self.fd], [], min(remaining, 0.05))
        return True

    def foreground(self) -> int | None:
        """The process group that owns the terminal now (the job that gets Ctrl-C)."""
        try:
            return os.tcgetpgrp(self.fd)
        except OSError:
            return None

    def readers(self) -> list[int]:
        """Processes of the foreground job blocked reading this terminal: waiting for input."""
        group = self.foreground()
        if group is None:
            return []
        return [pid for pid in _group_members(group) if self.reads_terminal(pid)]

    def reads_terminal(self, pid: int) -> bool:
        """Is `pid` asleep in read() on this terminal?"""
        proc = Path(f"/proc/{pid}")
        try:
            call = (proc / "syscall").read_text().split()
            if call and call[0] in READ_SYSCALLS:
                return str((proc / "fd" / str(int(call[1], 16))).readlink()) == self.tty
            fds = watched(pid)  # poll/select: the terminal must be among what it waits on
            if fds is not None:
                return any(str((proc / "fd" / str(fd)).readlink()) == self.tty for fd in fds)
            waiting = call[0] in POLL_SYSCALLS or (proc / "wchan").read_text() in TTY_WAITS
            return waiting and str((proc / "fd" / "0").readlink()) == self.tty
        except (OSError, ValueError, IndexError):
            return False

    def reads_prompt(self, pid: int) -> bool:
        """Is bash `pid` reading its next command line (a 1,024-byte read of stdin)?

        Bash without line editing reads its input in 1,024-byte blocks; its `read` builtin
        asks for 4,096 bytes or one, so a page's `read` is not taken for a prompt.
        """
        try:
            call = Path(f"/proc/{pid}/syscall").read_text().split()
        except OSError:
            return False
        return call[:2] == ["0", "0x0"] and call[3:4] == ["0x400"] and self.reads_terminal(pid)


def _bytes_read(pid: int) -> int | None:
    """How many bytes a process has read so far (`rchar` of /proc/PID/io), None if hidden."""
    try:
        for line in Path(f"/proc/{pid}/io").read_text().splitlines():
            if line.startswith("rchar:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _group_members(group: int) -> list[int]:
    """Pids in a process group (a /proc scan: only when a command is already late)."""
    return _members(2, group)


def _session_members(session: int) -> list[int]:
    """Pids in a session, but the leader (a /proc scan)."""
    return [pid for pid in _members(3, session) if pid != session]


def _members(field: int, value: int) -> list[int]:
    """Pids whose /proc/PID/stat field (counted after the command name) equals value.

    Every page's end scans all of /proc once: raw `os.open`/`os.read` of bytes, half the time
    of `Path.read_text` per process.
    """
    members = []
    for entry in os.scandir("/proc"):
        name = entry.name
        if name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                if int(_read_stat(name).rsplit(b")", 1)[1].split()[field]) == value:
                    members.append(int(name))
    return members


def _read_stat(pid: str) -> bytes:
    fd = os.open(f"/proc/{pid}/stat", os.O_RDONLY)
    try:
        return os.read(fd, 4096)
    finally:
        os.close(fd)


def _quiet_terminal(fd: int) -> None:
    """80x24 and no echo: what is typed is not printed back, as with a script."""
    attributes = termios.tcgetattr(fd)
    attributes[3] &= ~termios.ECHO
    termios.tcsetattr(fd, termios.TCSANOW, attributes)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))


def cmdline(pid: int) -> list[str]:
    """A process's argv, from /proc (empty when it is gone)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return raw.decode(errors="replace").split("\0")[:-1]


def interactive_bash(argv: list[str]) -> bool:
    """`bash`, `-bash`, `/bin/bash -l`...: options only, no script and no -c."""
    if not argv or Path(argv[0]).name.lstrip("-") != "bash":
        return False
    takes_value = {"--rcfile", "--init-file", "-O", "+O", "-o", "+o"}
    args = iter(argv[1:])
    for arg in args:
        if arg in takes_value:
            next(args, None)
        elif arg == "-c" or not arg.startswith(("-", "+")):
            return False
    return True
