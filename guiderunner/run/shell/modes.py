"""The terminal modes typing needs, set again before every typed line.

A reader's keystrokes are echoed by their terminal, and the runner does not want that echo in
a command's output: the page's terminal starts with echo off (run.shell.terminal). A page may
change the modes for itself (`stty echo`, `stty sane`, `reset`, a program that exits without
restoring them), and a reader's terminal would simply go on working. So before each line the
runner types, echo is turned off again and canonical input (a line at a time) turned on: the
two modes typing relies on, and nothing else the page set. It costs one `tcgetattr` when
nothing changed.
"""

from __future__ import annotations

import fcntl
import re
import struct
import termios
import time
from pathlib import Path

from guiderunner.run.shell.terminal import Terminal

_OFF = termios.ECHO | termios.ECHONL
_ON = termios.ICANON


def typing_modes(fd: int) -> bool:
    """Echo off and canonical input on for the terminal (`fd`: either side); True if changed.

    The check reads the raw `struct termios` (TCGETS into a buffer of its own: the local
    modes are its fourth 32-bit word); `tcgetattr`, which builds a list of 7 items and 32
    control characters, is only asked when something must change.
    """
    fcntl.ioctl(fd, termios.TCGETS, _RAW)
    if _LOCAL.unpack_from(_RAW, _LOCAL_AT)[0] & (_OFF | _ON) == _ON:
        return False
    attributes = termios.tcgetattr(fd)
    attributes[3] = (attributes[3] & ~_OFF) | _ON
    termios.tcsetattr(fd, termios.TCSANOW, attributes)
    return True


_RAW = bytearray(64)  # struct termios is 60 bytes on Linux
_LOCAL, _LOCAL_AT = struct.Struct("=I"), 12  # c_lflag, after c_iflag, c_oflag and c_cflag


EDITING_OFF = "set +o emacs +o vi; history -d -1 2>/dev/null"
"""Typed when a page turned line editing on: it echoes, redraws and brackets what is typed."""
EDITING_ON = re.compile(r"\b(?:emacs|vi|bind|source|exec|bash|bashrc|inputrc)\b|(?:^|[;&|]\s*)\.\s")
"""A command that may turn line editing on; only after one is the shell looked at (/proc)."""


def may_edit(line: str) -> bool:
    """Could this typed line turn line editing on (EDITING_ON)?

    Every match of EDITING_ON holds one of these words (or a dot): substring checks, far
    cheaper than the pattern, are asked first.
    """
    if "." in line or "vi" in line or "bind" in line or "source" in line or "inputrc" in line:
        return EDITING_ON.search(line) is not None
    if "emacs" in line or "exec" in line or "bash" in line:
        return EDITING_ON.search(line) is not None
    return False


def edits_lines(pid: int) -> bool:
    """Is bash `pid` reading its input a byte at a time, as readline does (line editing on)?

    Without editing, bash reads its next command line in 1,024-byte blocks (run.shell.terminal
    `reads_prompt`); with `set -o emacs` or `vi`, readline waits in pselect6 (or poll,
    select), then reads one byte of stdin at a time. The caller knows `pid` is at its prompt.
    """
    try:
        call = Path(f"/proc/{pid}/syscall").read_text(encoding="ascii").split()
    except OSError:
        return False
    if call[:1] and call[0] in _WAITS:
        return True
    return call[:2] == ["0", "0x0"] and call[3:4] == ["0x1"]


_WAITS = {"7", "23", "270", "271"}  # x86-64 poll, select, pselect6, ppoll


def settled(pid: int, deadline: float) -> bool:
    """Wait (a second at most) until bash `pid` waits for its input, read() or readline's wait.

    Its end marker is printed before it gets there; asked too early, `edits_lines` would see
    a bash still drawing its prompt and take line editing for off. True: it is there.
    """
    end = min(deadline, time.monotonic() + 1.0)
    while time.monotonic() < end:
        try:
            call = Path(f"/proc/{pid}/syscall").read_text(encoding="ascii").split()
        except OSError:
            return False
        if call[:1] and (call[0] in _WAITS or call[:2] == ["0", "0x0"]):
            return True
        time.sleep(0.002)
    return False


def stderr_here(terminal: Terminal) -> bool:
    """Does the foreground bash's stderr, where its prompts and end marker go, reach the tty?

    When it does not (`exec 2>log`), the status in the FIFO is the end: no marker will come.
    """
    return stderr_target(terminal) in (None, terminal.tty)


def stderr_target(terminal: Terminal) -> str | None:
    """Where the foreground bash's stderr goes (`/dev/pts/N`, `pipe:[...]`, a path, `closed`).

    None when that cannot be told (no foreground job, or the process is gone).
    """
    group = terminal.foreground()
    if group is None:
        return None
    fds = Path(f"/proc/{group}/fd")
    try:
        return str((fds / "2").readlink())
    except FileNotFoundError:
        return "closed" if fds.exists() else None
    except OSError:
        return None


def relayed(target: str) -> bool:
    """Could what bash writes there still reach the terminal, later (`exec 2> >(tee log)`)?"""
    return target.startswith(("pipe:", "socket:"))
