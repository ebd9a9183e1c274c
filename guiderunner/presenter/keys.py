"""The projector's keys: one key at a time from the presenter's terminal, arrows included.

The terminal is already in cbreak mode (guiderunner.presenter.screen.TerminalKeys). An arrow
comes as an escape sequence (`ESC [ C`, or `ESC O C` in application mode); its bytes are
read together, so Esc alone stays Esc. `g` and `/` read a line (a step number, a text),
edited with Backspace and cancelled with Esc.
"""

from __future__ import annotations

import os
import select
from collections.abc import Callable, Mapping

ESCAPE = "\x1b"
SEQUENCES: Mapping[str, str] = {
    "\x1b[C": "right",
    "\x1bOC": "right",
    "\x1b[D": "left",
    "\x1bOD": "left",
}
NAMES: Mapping[str, str] = {"\r": "enter", "\n": "enter", " ": "space", "\x04": "eof"}
ACTIONS: Mapping[str, str] = {
    "enter": "next",
    "space": "next",
    "right": "next",
    "left": "back",
    "g": "goto",
    "/": "search",
    "?": "help",
    "o": "open",
    "s": "skip",
    "r": "retry",
    "q": "quit",
    "eof": "quit",
}
"""Each key's action (upper case works too)."""
HELP: tuple[tuple[str, str], ...] = (
    ("Enter, Space, Right", "next: run the step shown, or show the next one"),
    ("Left", "back: the step before, with its recorded output (not run again)"),
    ("g N Enter", "go to step N (the steps before it run first, quietly)"),
    ("/ TEXT Enter", "search: the next step whose command or prose holds TEXT"),
    ("o", "live shell: the page's own bash (Ctrl-] returns)"),
    ("r", "after a failure: run the step again"),
    ("s", "skip the step"),
    ("?", "this list (any key closes it)"),
    ("q", "quit: everything the page started is stopped"),
)
"""The keys, as the `?` overlay and `runner step --help` list them."""
WAIT = 0.05  # seconds for the rest of an escape sequence


def read_key(fd: int) -> str:
    """The next key's name (`enter`, `space`, `left`, `right`, `escape`, `eof`) or character."""
    first = os.read(fd, 1)
    if not first:
        return "eof"
    if first != ESCAPE.encode():
        key = _whole_character(fd, first)
        return NAMES.get(key, key)
    sequence = ESCAPE
    while len(sequence) < 8 and select.select([fd], [], [], WAIT)[0]:
        sequence += os.read(fd, 1).decode("latin-1")
        if sequence in SEQUENCES:
            return SEQUENCES[sequence]
        if len(sequence) >= 3 and (sequence[-1].isalpha() or sequence[-1] == "~"):
            return "other"
    return "escape" if sequence == ESCAPE else "other"


def action(key: str) -> str | None:
    """What a key asks for, or None."""
    return ACTIONS.get(key if len(key) != 1 else key.lower())


def read_line(fd: int, show: Callable[[str], None]) -> str | None:
    """A line typed after `g` or `/`, shown as it is typed; None when Esc cancels it."""
    typed = ""
    show(typed)
    while True:
        key = read_key(fd)
        if key == "enter":
            return typed
        if key in ("escape", "eof"):
            return None
        if key in ("\x7f", "\x08"):
            typed = typed[:-1]
        elif key == "space":
            typed += " "
        elif len(key) == 1 and key.isprintable():
            typed += key
        show(typed)


def _whole_character(fd: int, first: bytes) -> str:
    """A UTF-8 character's remaining bytes, read after its first."""
    needed = 0 if first[0] < 0xC0 else 1 if first[0] < 0xE0 else 2 if first[0] < 0xF0 else 3
    data = first + (os.read(fd, needed) if needed else b"")
    return data.decode("utf-8", "replace")
