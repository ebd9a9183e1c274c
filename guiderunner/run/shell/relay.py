r"""Bytes relayed between a person's terminal and a program's pty, until an escape key.

The person's terminal is put in raw mode, so every key (Ctrl-C, Ctrl-Z, arrows) reaches the
program on the other side instead of the runner, and it is put back as it was on the way out,
whatever happens. One key, Ctrl-] (as in telnet), is kept: it ends the relay. The page shell's
invisible markers (`ESC ] 777 ; token ; ... BEL`, guiderunner.run.shell.markers) never reach the
person's screen, even when a read cuts one in two.
"""

from __future__ import annotations

import contextlib
import enum
import os
import re
import select
import termios
import time
import tty
from collections.abc import Iterator

ESCAPE_KEY = b"\x1d"  # Ctrl-]
ESCAPE_NAME = "Ctrl-]"
MARKER = re.compile(rb"\x1b\]777;[0-9a-f]*;[123](?:;[0-9]+){0,2}\x07")
"""The page bash's markers: kind, then the number (`2;N`, `3;N`) or the status and number."""
PARTIAL_MARKER = re.compile(
    rb"\x1b(\](7(7(7(;[0-9a-f]*(;([123](;[0-9]*(;[0-9]*)?)?)?)?)?)?)?)?)?\Z"
)


class Ended(enum.Enum):
    """Why a relay ended."""

    ESCAPE = "escape"
    """The person pressed the escape key."""
    CLOSED = "closed"
    """The program's side of the terminal closed: it exited."""


class MarkerFilter:
    r"""Drops the shell's markers from a stream, holding back a marker cut at a chunk's end.

    >>> strip = MarkerFilter()
    >>> strip(b"a\x1b]777;ab12;"), strip(b"1\x07b"), strip(b"c\x1b")
    (b'a', b'b', b'c')
    >>> strip(b"[0m")
    b'\x1b[0m'
    >>> strip(b"x\x1b]777;ab;1;130;4"), strip(b"2\x07y\x1b]777;ab;3;42\x07z")
    (b'x', b'yz')
    """

    __slots__ = ("_held",)

    def __init__(self) -> None:
        self._held = b""

    def __call__(self, chunk: bytes) -> bytes:
        """The chunk without markers; the start of a marker it ends with waits for the next."""
        data = MARKER.sub(b"", self._held + chunk)
        cut = PARTIAL_MARKER.search(data, max(0, len(data) - 48))
        self._held = data[cut.start() :] if cut else b""
        return data[: cut.start()] if cut else data


@contextlib.contextmanager
def raw_terminal(fd: int) -> Iterator[None]:
    """`fd`'s terminal in raw mode for the block, then exactly as it was."""
    saved = termios.tcgetattr(fd)
    try:
        tty.setraw(fd, termios.TCSANOW)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def relay(keyboard: int, screen: int, program: int) -> Ended:
    """Keys from `keyboard` to `program`, its output to `screen`, until Ctrl-] or its end.

    `keyboard` must be a terminal; it is raw while the relay lasts. `program` is a pty's
    master side (non-blocking is fine).
    """
    strip = MarkerFilter()
    with raw_terminal(keyboard):
        while True:
            ready = select.select([keyboard, program], [], [])[0]
            if program in ready and not _forward(program, screen, strip):
                return Ended.CLOSED
            if keyboard in ready:
                keys = os.read(keyboard, 1024)
                before, escape, _ = keys.partition(ESCAPE_KEY)
                if before:
                    write_all(program, before)
                if escape or not keys:
                    return Ended.ESCAPE


def _forward(program: int, screen: int, strip: MarkerFilter) -> bool:
    """Copy what the program printed to the screen; False when its terminal closed."""
    try:
        chunk = os.read(program, 65536)
    except BlockingIOError:
        return True
    except OSError:  # EIO: no process holds the other side any more
        return False
    if not chunk:
        return False
    write_all(screen, strip(chunk))
    return True


def write_all(fd: int, data: bytes) -> None:
    """Write every byte, waiting while `fd` (maybe non-blocking) is full."""
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view) :]
        except BlockingIOError:
            select.select([], [fd], [], 1.0)


def drain(program: int, quiet: float, limit: float = 2.0) -> bytes:
    """Read what the program prints until it is silent for `quiet` seconds (`limit` at most)."""
    taken, end = bytearray(), time.monotonic() + limit
    while time.monotonic() < end and select.select([program], [], [], quiet)[0]:
        try:
            chunk = os.read(program, 65536)
        except BlockingIOError:
            continue
        except OSError:
            break
        if not chunk:
            break
        taken += chunk
    return bytes(taken)
