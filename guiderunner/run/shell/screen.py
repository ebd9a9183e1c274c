r"""What a terminal shows of a command's output: `\r`, backspaces and cursor moves applied.

`abcdef\rXY` shows `XYcdef`; a progress bar redrawn in place shows its last state. Output
without control bytes (the common case) is returned as it is, apart from `\r\n` -> `\n`,
without starting the emulator. Otherwise termscraper (a maintained fork of pyte) plays the
lines within 24 rows of a control byte on a screen as wide as the longest line, so a long
line is one line, not wrapped at 80 columns (but `\r` in it goes back to the start of the
80-column row the cursor is on, as on the reader's terminal), and as tall as those lines, so
nothing scrolls away. Tabs are kept as tabs (a placeholder cell stands for each), so that a
tab and spaces still differ in a diff.
Colours and other attributes are dropped.
"""

from __future__ import annotations

import re
import unicodedata

CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")
"""A byte a terminal acts on: searched after `\\r\\n` -> `\\n`, so a `\\r` left is a bare one."""
TAB_CELL = "\ue000"  # a private-use character: one cell, never printed by a real program
MIN_COLUMNS = 80
ROWS = 24  # the height of the page's terminal: how far a cursor can move up
ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[ -/]*[0-~]"
)  # CSI, OSC, two-byte: no column of their own


def render(raw: bytes) -> bytes:
    r"""The text a terminal would show for these bytes, as UTF-8 with `\n` line ends.

    Only the lines near a control byte are played on the emulator: the cursor of a real
    terminal never leaves its 24 rows, so a line more than 24 rows away from any control
    byte shows as it was written, and a long log with one progress line stays fast.
    """
    text = raw.replace(b"\r\n", b"\n")
    if not CONTROL.search(text):
        return text
    lines = text.split(b"\n")
    shown: list[bytes] = []
    done = 0
    for start, end in _windows([n for n, line in enumerate(lines) if CONTROL.search(line)]):
        shown += lines[done:start]
        window = b"\n".join(lines[start : min(end, len(lines))])
        shown.append(_emulate(window.decode("utf-8", "replace")).encode("utf-8"))
        done = end
    shown += lines[done:]
    return b"\n".join(shown)


def _windows(marked: list[int]) -> list[tuple[int, int]]:
    """Line ranges within ROWS of a marked line, merged where they touch."""
    merged: list[tuple[int, int]] = []
    for line in marked:
        start, end = max(0, line - ROWS), line + ROWS + 1
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def wrapped_returns(line: str) -> str:
    r"""`\r` as an 80-column terminal does it: back to the start of the row the cursor is on.

    The emulator's screen is as wide as the longest line (a long line stays one line), where
    `\r` would go back to the start of the whole line; on the reader's terminal, the line
    wrapped, and `\r` goes back to the start of its last row. So a `\r` after column 80 is
    followed by a move right to that row's start. Columns: tabs to the next multiple of 8,
    wide characters two, escape sequences none, a backspace one back.

    >>> wrapped_returns("a" * 100 + "\rXY")[100:]
    '\r\x1b[80CXY'
    >>> wrapped_returns("a" * 80 + "\rXY")[80:], wrapped_returns("ab\rc")
    ('\rXY', 'ab\rc')
    """
    if "\r" not in line:
        return line
    pieces = line.split("\r")
    out, column = [pieces[0]], _advance(0, pieces[0])
    for piece in pieces[1:]:
        start = (column - 1) // MIN_COLUMNS * MIN_COLUMNS if column > 0 else 0
        out.append(f"\x1b[{start}C{piece}" if start else piece)
        column = _advance(start, piece)
    return "\r".join(out)


def _advance(column: int, text: str) -> int:
    """The cursor's column after `text` is written from `column` on an unbounded row."""
    for char in ESCAPES.sub("", text):
        if char in ("\t", TAB_CELL):
            column = (column // 8 + 1) * 8
        elif char == "\b":
            column = max(0, column - 1)
        elif char >= " ":
            column += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return column


def _emulate(text: str) -> str:
    import termscraper  # type: ignore[import-untyped]  # only control bytes pay the import

    lines = [wrapped_returns(line) for line in text.replace("\t", TAB_CELL).split("\n")]
    width = max(MIN_COLUMNS, max(len(line) for line in lines) + 1)
    screen = termscraper.Screen(width, len(lines) + 1, track_dirty_lines=False, styleless=True)
    stream = termscraper.Stream(screen)
    stream.feed("\r\n".join(line.rstrip("\r") for line in lines))
    rows = [str(row) for row in screen.compressed_display(rstrip=True)]
    used = [number for number, row in enumerate(rows) if row]
    last = max([int(screen.cursor_y), *used[-1:]])  # down to the cursor: a final newline shows
    shown = rows[: last + 1]
    return "\n".join(line.replace(TAB_CELL, "\t") for line in shown)
