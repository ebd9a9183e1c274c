"""The projector view of `runner step`: one step per screen, sized to the terminal.

From the top: a header (step number, heading, place, last run's time), the prose before the
step rendered as text, the speaker note (dimmed), the command, then the output region where
the output comes as the command prints it and the verdict follows. The bottom line is the
footer with the keys; it is drawn once per screen, never scrolled away. The output region is
the terminal's scrolling region, so a long output scrolls inside it and leaves the rest in
place. Prose is cut from the top to what fits above the command (the header keeps the
heading); the output region keeps at least a third of the screen.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

from guiderunner.presenter.deck import Slide
from guiderunner.presenter.keys import HELP
from guiderunner.presenter.prose import render
from guiderunner.presenter.screen import Screen

MORE = "..."
MIN_SIZE = (40, 12)


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each part of one step's screen goes, for one terminal size."""

    header: str
    """The first line."""
    prose: tuple[tuple[str, bool], ...]
    """Prose lines, each with whether it is a heading."""
    note: tuple[str, ...]
    """The speaker note's lines."""
    block: tuple[str, ...]
    """The step as the page shows it."""
    output_top: int
    """The first row (1-based) of the output region; it ends above the footer."""


def layout(size: tuple[int, int], header: str, slide: Slide, block: Sequence[str]) -> Layout:
    r"""Fit a step's screen into `size` (columns, rows): each part wrapped, prose cut to fit.

    >>> slide = Slide("# Title\n\n" + "word " * 400, "Ask them", None)
    >>> small = layout((80, 24), "step 1", slide, ["$ echo hi"])
    >>> small.prose[0], len(small.prose) < 10, small.note, small.output_top <= 24 - 8
    (('...', False), True, ('note: Ask them',), True)
    """
    width, height = max(size[0], MIN_SIZE[0]), max(size[1], MIN_SIZE[1])
    room = height - 5 - max(4, height // 3)  # header, 3 blank lines, footer, the output
    note = tuple(textwrap.wrap(f"note: {slide.note}", width - 1)) if slide.note else ()
    if len(note) > min(3, room - 2):  # the command keeps two rows at least
        note = (*note[: max(min(3, room - 2) - 1, 0)], MORE)[: max(min(3, room - 2), 0)]
    room -= len(note)
    shown = tuple(_cut(line, width) for line in block)[: max(room, 1)]
    if len(shown) < len(block):
        shown = (*shown[:-1], MORE) if len(shown) > 1 else shown
    room -= len(shown)
    prose = tuple((line.text, line.heading) for line in render(slide.prose, width - 1))
    if len(prose) > room:
        prose = ((MORE, False), *prose[len(prose) - room + 1 :]) if room > 1 else ()
    above = len(prose) + len(note)
    top = 2 + above + (1 if above else 0) + len(shown) + 2
    return Layout(_cut(header, width), prose, note, shown, top)


def _cut(line: str, width: int) -> str:
    return line if len(line) < width else line[: width - 1 - len(MORE)] + MORE


class Projector(Screen):
    """The presenter's terminal as a projector shows it.

    What Screen says (verdicts, diffs, the menu) goes to the output region.
    """

    STYLES: Mapping[str, str] = {**Screen.STYLES, "note": "2", "command": "1", "footer": "7"}

    __slots__ = ("footer_text", "redraw")

    def __init__(self, out: TextIO) -> None:
        super().__init__(out)
        self.redraw: Callable[[], None] = lambda: None
        """Draws the current screen again (after the live shell, the overlay)."""
        self.footer_text: tuple[str, ...] = ()
        """The keys line of the current screen."""

    def size(self) -> tuple[int, int]:
        """Columns and rows of the terminal now (a resize shows at the next screen)."""
        try:
            found = os.get_terminal_size(self._out.fileno())
        except (OSError, ValueError):
            return 80, 24
        return max(found.columns, MIN_SIZE[0]), max(found.lines, MIN_SIZE[1])

    def draw(self, header: str, slide: Slide, block: Sequence[str]) -> None:
        """A step's screen: clear, header, prose, note, the block.

        The cursor waits at the top of the output region; the footer comes after (`footer`).
        """
        width, height = self.size()
        fitted = layout((width, height), header, slide, block)
        self._write("\x1b[r\x1b[2J\x1b[H")
        self._line(fitted.header, "rule")
        self._line("")
        for text, heading in fitted.prose:
            self._line(text, "heading" if heading else None)
        for text in fitted.note:
            self._line(text, "note")
        if fitted.prose or fitted.note:
            self._line("")
        for text in fitted.block:
            self._line(text, "command")
        self._write(f"\x1b[{fitted.output_top};{height - 1}r\x1b[{fitted.output_top};1H")

    def footer(self, labels: Sequence[str]) -> None:
        """The keys line at the bottom, as many labels as fit, the cursor left where it was."""
        self.footer_text = tuple(labels)
        width, height = self.size()
        text = ""
        for label in labels:
            joined = f"{text}   {label}" if text else label
            if len(joined) >= width:
                break
            text = joined
        self._write(f"\x1b7\x1b[{height};1H\x1b[2K")
        self._write(self._styled(text[: width - 1], "keys"))
        self._write("\x1b8")

    def prompt(self, label: str, typed: str) -> None:
        """What is being typed after `g` or `/`, in the footer's place."""
        shown = self.footer_text
        self.footer([f"{label}{typed}_", "(Enter: go, Esc: cancel)"])
        self.footer_text = shown

    def overlay(self) -> None:
        """The keys in a box over the middle of the screen (any key closes it)."""
        width, height = self.size()
        inner = min(width - 4, 78)
        rows = ["Keys", ""] + [
            line
            for keys, what in HELP
            for line in textwrap.wrap(f"{keys:<16}{what}", inner - 2, subsequent_indent=" " * 16)
        ]
        top = max((height - len(rows) - 2) // 2, 1)
        left = (width - inner) // 2 + 1
        border = "+" + "-" * inner + "+"
        self._write("\x1b7")
        for offset, text in enumerate([border, *(f"| {r:<{inner - 2}} |" for r in rows), border]):
            self._write(f"\x1b[{top + offset};{left}H{self._styled(text, 'keys')}")
        self._write("\x1b8")

    def finish(self) -> None:
        """Leave the projector: the whole terminal scrolls again, the cursor below the screen."""
        _, height = self.size()
        self._write(f"\x1b[r\x1b[{height};1H\n")

    def live_shell(self) -> None:
        """The live shell gets the whole terminal."""
        self._write("\x1b[r\x1b[2J\x1b[H")
        super().live_shell()

    def back(self, notes: tuple[str, ...]) -> None:
        """Back from the live shell: the step's screen again, then the notes."""
        self.redraw()
        super().back(notes)
        self.footer(self.footer_text)

    def _line(self, text: str, style: str | None = None) -> None:
        self._write(self._styled(text, style) + "\n")

    def _styled(self, text: str, style: str | None) -> str:
        return f"\x1b[{self.STYLES[style]}m{text}\x1b[0m" if style and text else text

    def _write(self, text: str) -> None:
        self._out.write(text)
        self._out.flush()
