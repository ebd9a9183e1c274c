"""The presenter's terminal: keys in; headings, blocks, live output and verdicts out.

On a projector, plain large blocks read best: a rule with the step's number and place, the
heading it stands under, the block as the page shows it, and one line of keys. Keys come one
at a time from a terminal in cbreak mode (Ctrl-C still interrupts), or one per line when stdin
is not a terminal.
"""

from __future__ import annotations

import os
import termios
import tty
from collections.abc import Collection, Mapping
from typing import Any, Literal, Protocol, TextIO

from guiderunner.markdown import Heading
from guiderunner.match import normalise
from guiderunner.model import Step, Verdict
from guiderunner.presenter.timings import Expected, shown
from guiderunner.report.text import MARKS, describe, failure_details
from guiderunner.run.shell.relay import ESCAPE_NAME

Choice = Literal["run", "skip", "quit", "open", "retry"]
KEYS: Mapping[str, Choice] = {
    "\r": "run",
    "\n": "run",
    "s": "skip",
    "S": "skip",
    "q": "quit",
    "Q": "quit",
    "\x04": "quit",
    "o": "open",
    "O": "open",
    "r": "retry",
    "R": "retry",
}
BEFORE: frozenset[Choice] = frozenset({"run", "open", "skip", "quit"})
"""The answers to a step not run yet."""
AFTER_FAILURE: frozenset[Choice] = frozenset({"run", "open", "retry", "skip", "quit"})
"""The answers to a step that failed (Enter goes on, the step stays failed)."""
LABELS: tuple[tuple[Choice, str], ...] = (
    ("retry", "[r] retry"),
    ("run", "[Enter] {enter}"),
    ("open", f"[o] live shell ({ESCAPE_NAME} returns)"),
    ("skip", "[s] skip"),
    ("quit", "[q] quit"),
)
SHOWN_LINES = 30  # a file's lines shown before "... N more lines"
OUTPUT_TAIL = 15


# --- headings --------------------------------------------------------------------------------


def heading_before(found: tuple[Heading, ...], line: int) -> str | None:
    """The title of the nearest heading above `line`."""
    above = [h for h in found if h.line < line]
    return above[-1].title if above else None


# --- keys ------------------------------------------------------------------------------------


class Keys(Protocol):
    """Where the presenter's answers come from."""

    def discard(self) -> None:
        """Forget what was typed so far: keys pressed while a step ran are not answers."""

    def read(self, allowed: Collection[Choice]) -> Choice:
        """Wait for the next answer among `allowed`."""


class TerminalKeys:
    """One key at a time from a terminal kept in cbreak mode for the whole session.

    No echo, so keys pressed during a step do not garble the projected output; Ctrl-C still
    interrupts. The terminal's settings come back on the way out, whatever happens.
    """

    __slots__ = ("_fd", "_saved")

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._saved: list[Any] | None = None

    def __enter__(self) -> TerminalKeys:
        self._saved = termios.tcgetattr(self._fd)
        tty.setcbreak(self._fd)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._saved is not None:
            termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)

    def discard(self) -> None:
        """Drop keys typed ahead."""
        termios.tcflush(self._fd, termios.TCIFLUSH)

    def read(self, allowed: Collection[Choice]) -> Choice:
        """The next key that means something here; end of input quits."""
        while True:
            key = os.read(self._fd, 1).decode("utf-8", "replace")
            if not key:
                return "quit"
            if KEYS.get(key) in allowed:
                return KEYS[key]


class LineKeys:
    """One answer per line, when stdin is not a terminal: empty runs, `s` skips, `q` quits..."""

    __slots__ = ("_stream",)

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def __enter__(self) -> LineKeys:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def discard(self) -> None:
        """Lines given in advance (a script, a test) are all answers."""

    def read(self, allowed: Collection[Choice]) -> Choice:
        """The next line that means something here; end of input quits."""
        while True:
            line = self._stream.readline()
            if not line:
                return "quit"
            answer = line.strip()[:1] or "\n"
            if KEYS.get(answer) in allowed:
                return KEYS[answer]


def keys_for(stream: TextIO) -> TerminalKeys | LineKeys:
    """Keys from stdin (a context manager): a terminal in cbreak mode, else lines."""
    return TerminalKeys(stream.fileno()) if stream.isatty() else LineKeys(stream)


class LiveOutput:
    r"""Shows the page shell's output as it comes, only when switched on (not during catch-up).

    It is the page's live echo (guiderunner.run.lifecycle.PageOptions.echo), which hands over
    decoded, filtered text.

    >>> import io; out = io.StringIO(); live = LiveOutput(out); live("hidden "); live.on = True
    >>> live("café\n"); out.getvalue()
    'café\n'
    """

    __slots__ = ("on", "out")

    def __init__(self, out: TextIO) -> None:
        self.out = out
        """Where the presenter's screen is."""
        self.on = False
        """Switched on while a step the presenter chose runs."""

    def __call__(self, text: str) -> None:
        """Take one piece of the shell's output."""
        if self.on and text:
            self.out.write(text)
            self.out.flush()


class Screen:
    """The presenter's terminal: large, plain blocks; colour only on a terminal."""

    STYLES: Mapping[str, str] = {
        "passed": "32;1",
        "failed": "31;1",
        "error": "35;1",
        "skipped": "33",
        "heading": "1",
        "rule": "1",  # bold, not dim: a projector washes dim text out
        "keys": "1",
        "shell": "7",
    }
    MARKS: Mapping[str, str] = MARKS

    __slots__ = ("_color", "_keys_shown", "_out", "_progress")

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._color = out.isatty()
        self._progress = False
        self._keys_shown = False

    def say(self, text: str, style: str | None = None) -> None:
        """Write one or more lines."""
        if self._color and style:
            text = f"\x1b[{self.STYLES[style]}m{text}\x1b[0m"
        self._out.write(text + "\n")
        self._out.flush()

    def header(
        self, number: int, total: int, step: Step, heading: str | None, expected: Expected | None
    ) -> None:
        """The step's number and place, the heading it stands under, how long they last took."""
        # ASCII only: a presenter's terminal may not be UTF-8.
        self.say(f"\n--- step {number} of {total} | {step.span} " + "-" * 24, "rule")
        if heading:
            self.say(heading, "heading")
        if expected is not None and expected.step is not None:
            section = "" if expected.section is None else f"section {shown(expected.section)}, "
            self.say(f"last run: {section}this step {shown(expected.step)}")

    def block(self, step: Step) -> None:
        """What the step will do, as the page shows it; the keys before the first step only."""
        self.say("")
        for line in block_lines(step):
            self.say(f"    {line}")
        if not self._keys_shown:
            self.keys(BEFORE)
            self._keys_shown = True

    def keys(self, allowed: Collection[Choice], enter: str = "run") -> None:
        """The keys that answer now, as one line; what Enter does here."""
        labels = (label.format(enter=enter) for choice, label in LABELS if choice in allowed)
        self.say("\n" + "   ".join(labels), "keys")

    def menu(self) -> None:
        """What a presenter can do about a failed step."""
        self.say("\nThe step failed. What now?", "keys")
        self.keys(AFTER_FAILURE, enter="go on")

    def live_shell(self) -> None:
        """Before the page's shell is handed over: what it is and how to come back."""
        self.say(
            f"\n=== LIVE SHELL: the page's own bash. Press {ESCAPE_NAME} to return. ===", "shell"
        )

    def back(self, notes: tuple[str, ...]) -> None:
        """Back from the live shell."""
        self.say("\n=== BACK IN THE PRESENTER ===", "shell")
        for note in notes:
            self.say(f"note: {note}")

    def mark(self, outcome: str, note: str = "") -> None:
        """The outcome, with a note."""
        self.say(f"{self.MARKS[outcome]}" + (f"  {note}" if note else ""), outcome)

    def result(self, verdict: Verdict, *, shown_live: bool) -> None:
        """The verdict; the diff on failure; a service's output, which was not shown live."""
        output = normalise(verdict.observation.output)
        if not shown_live and output and verdict.outcome == "passed":
            self.say("\n".join(f"  | {line}" for line in output[-OUTPUT_TAIL:]))
        self.say("")
        self.mark(verdict.outcome, f"({verdict.observation.duration:.1f}s)")
        if verdict.did_not_pass:
            self.say(failure_details(verdict).rstrip("\n"))

    def progress(self, text: str | None) -> None:
        """One progress line, redrawn in place on a terminal; None ends it."""
        if text is None:
            if self._progress and self._color:
                self._out.write("\n")
            self._progress = False
        elif self._color:
            self._out.write(f"\r\x1b[K{text[:79]}")
            self._progress = True
        elif text.startswith("caught up"):
            self._out.write(text + "\n")
        self._out.flush()


def block_lines(step: Step) -> list[str]:
    """The step as the page shows it: the command, or a file's first lines."""
    if step.typed_lines:
        return list(step.typed_lines)
    if step.written is not None:
        path, content = step.written
        lines = content.rstrip("\n").split("\n")
        more = len(lines) - SHOWN_LINES
        return [f"{path}:", *(f"  {line}" for line in lines[:SHOWN_LINES])] + (
            [f"  ... {more} more lines"] if more > 0 else []
        )
    return [describe(step)]
