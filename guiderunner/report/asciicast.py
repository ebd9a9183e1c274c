"""A page's run -> an asciicast v2 recording: the terminal a reader would have seen, shortened.

The caller feeds what happened as it happens: the bytes the terminal showed (`output`), the
commands the reader would have typed (`command`: the page's pty does not echo, so the prompt
and the command are written here), and the start of each step (`marker`, the asciicast `"m"`
event that players show as chapters). Every time is the caller's clock (`time.monotonic()`),
so tests feed made-up times and nothing here sleeps or reads a clock.

What the file holds is made safe and short on the way in:

- Text is decoded incrementally, so a UTF-8 character split across two reads stays whole.
- The runner's own markers (OSC 777, the prompt's status) are removed even if a caller lets one
  through, including one split across reads.
- Every text (output, command, marker label, title) goes through the caller's `mask`, a line at
  a time: output is held back to the end of its line, so a secret split across two reads is
  still seen whole.
- Each step starts at least `step_pause` after what came before, so that a reader can read a
  fast command's output before the next one (`step_pause` in the header).
- A command's output starts at least `command_pause` after the command, as when a reader types
  it: the command is on screen alone a moment, so seeking to its step shows it without output.
- Pauses longer than `longest_pause` play as `pause_shown_as`, and the header says so, with
  the real duration (`shortened`).

Events are kept in memory until `close()`, since the header comes first and holds the real
duration; a page's run is a few megabytes at most.
"""

from __future__ import annotations

import codecs
import json
import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from guiderunner.closing import Closing

__all__ = ["DEFAULT_ENV", "Recorder", "clean_text", "step_label", "typed_text"]

Mask = Callable[[str], str]
"""Turns a text into what may be shown: secrets replaced. It must keep line breaks."""

DEFAULT_ENV: Mapping[str, str] = {"TERM": "dumb", "SHELL": "/bin/bash"}
"""What the page's shell ran with (guiderunner.run.shell.session resets TERM to dumb)."""
PROMPT = "$ "
CONTINUATION = "> "
LONGEST_PAUSE = 2.0
PAUSE_SHOWN_AS = 0.5
STEP_PAUSE = 1.0
COMMAND_PAUSE = 0.25
HOLD_AT_MOST = 4096
"""Characters of an unfinished line held back for masking; a longer line goes out as it is."""

RUNNER_MARK = re.compile(r"\x1b\]777;[^\x07\x1b]*(?:\x07|\x1b\\)")
"""The runner's OSC 777 sequences (the prompt's status marker), terminated by BEL or ST."""
UNFINISHED_ESCAPE = re.compile(r"\x1b(?:\][^\x07\x1b]*\x1b?)?\Z")
"""An escape sequence cut at the end of a read: it might be a runner marker, so it waits."""
LINE_END = re.compile(r"[\r\n]")
ASCIICAST_VERSION = 2


def step_label(line: int, command: str, width: int = 60) -> str:
    r"""A marker's label: the step's line, then its command's first line, cut to `width`.

    guiderunner.report.recording reads the line back, for the site's chapters and marks.

    >>> step_label(42, "docker build -t stockdata .")
    '42: docker build -t stockdata .'
    >>> step_label(7, "cat <<EOF\nhello\nEOF")
    '7: cat <<EOF …'
    >>> step_label(3, "x" * 80, width=10)
    '3: xxxxxxxxx…'
    """
    first, _, rest = command.strip().partition("\n")
    if len(first) > width:
        return f"{line}: {first[: width - 1]}…"
    return f"{line}: {first} …" if rest else f"{line}: {first}"


def clean_text(text: str) -> str:
    r"""Remove the runner's OSC 777 markers from a text, whichever terminator they use.

    >>> clean_text("a\x1b]777;f00;0;-1\x07b\x1b]777;x\x1b\\c")
    'abc'
    """
    return RUNNER_MARK.sub("", text)


def typed_text(command: str, prompt: str = PROMPT) -> str:
    r"""A command as the reader's terminal shows it once typed: prompt, command, newline.

    Continuation lines get bash's `> `, and lines end in CR LF like a terminal's.

    >>> typed_text("echo hi")
    '$ echo hi\r\n'
    >>> typed_text("cat <<EOF\nx\nEOF")
    '$ cat <<EOF\r\n> x\r\n> EOF\r\n'
    """
    lines = command.rstrip("\n").split("\n")
    shown = [prompt + lines[0], *(CONTINUATION + line for line in lines[1:])]
    return "\r\n".join(shown) + "\r\n"


def ready_part(text: str) -> tuple[str, str]:
    r"""Split pending text into what can go out now and what waits for the next read.

    What waits: an escape sequence cut at the end (it may be a runner marker), and the last
    unfinished line (a secret in it may go on in the next read), unless it is very long.

    >>> ready_part("one\r\ntwo")
    ('one\r\n', 'two')
    >>> ready_part("done\r\n\x1b]777;ab")
    ('done\r\n', '\x1b]777;ab')
    """
    cut = UNFINISHED_ESCAPE.search(text)
    end = cut.start() if cut else len(text)
    line_ends = [m.end() for m in LINE_END.finditer(text, 0, end)]
    ready = line_ends[-1] if line_ends else 0
    if end - ready > HOLD_AT_MOST:
        ready = end
    return text[:ready], text[ready:]


class Recorder(Closing):
    """Writes one asciicast v2 file at `close()`; a context manager that always closes."""

    def __init__(
        self,
        path: Path,
        title: str,
        *,
        width: int = 80,
        height: int = 24,
        mask: Mask = str,
        held_back: Callable[[str], int] | None = None,
        env: Mapping[str, str] = DEFAULT_ENV,
        longest_pause: float = LONGEST_PAUSE,
        pause_shown_as: float = PAUSE_SHOWN_AS,
        step_pause: float = STEP_PAUSE,
        command_pause: float = COMMAND_PAUSE,
    ) -> None:
        self.path = path
        self._mask = mask
        self._held_back = held_back
        """How much of the pending text the mask needs to see completed (a secret's start)."""
        self._header: dict[str, object] = {
            "version": ASCIICAST_VERSION,
            "width": width,
            "height": height,
            "timestamp": int(time.time()),
            "title": mask(title),
            "env": dict(env),
            "step_pause": step_pause,
        }
        self._step_pause = step_pause
        self._command_pause = command_pause
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""
        self._events: list[tuple[float, str, str]] = []
        self._clock = _Clock(longest_pause, pause_shown_as)
        self._closed = False

    def output(self, data: bytes, at: float) -> None:
        """What the terminal showed at `at`: decoded, cleaned, masked a whole line at a time."""
        self._pending += self._decoder.decode(data)
        ready, self._pending = ready_part(self._pending)
        if self._held_back is not None and ready:
            # A multi-line secret may have begun on a line that is already complete.
            keep = min(len(ready), self._held_back(ready + self._pending) - len(self._pending))
            if keep > 0:
                ready, self._pending = (
                    ready[: len(ready) - keep],
                    ready[len(ready) - keep :] + self._pending,
                )
        self._write(ready, at)

    def command(self, text: str, at: float, prompt: str = PROMPT) -> None:
        """The prompt and the command as the reader types them (the page's pty does not echo)."""
        self._flush(at)
        self._write(typed_text(text, prompt), at)
        self._clock.hold(self._clock.shown(at) + self._command_pause)

    def marker(self, label: str, at: float) -> None:
        """A step starts: a chapter for players (`step_label` makes the label)."""
        self._flush(at)
        when = self._clock.shown(at)
        if self._events:
            when = self._clock.hold(self._events[-1][0] + self._step_pause)
        self._events.append((when, "m", self._mask(clean_text(label))))

    def close(self, at: float | None = None) -> None:
        """Write what is held back and the file (header first); only the first call does."""
        if self._closed:
            return
        self._closed = True
        end = self._clock.last if at is None else at
        self._pending += self._decoder.decode(b"", final=True)
        self._flush(end)
        self._clock.shown(end)
        self._pending = ""  # an escape sequence never finished: nothing a reader would see
        self._header["shortened"] = self._clock.shortened()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".part")
        with partial.open("w", encoding="utf-8") as out:
            out.write(json.dumps(self._header, ensure_ascii=False) + "\n")
            for when, code, data in self._events:
                out.write(json.dumps([round(when, 6), code, data], ensure_ascii=False) + "\n")
        partial.replace(self.path)

    def _flush(self, at: float) -> None:
        """Everything held back goes out but an escape sequence cut at the end, which waits."""
        cut = UNFINISHED_ESCAPE.search(self._pending)
        end = cut.start() if cut else len(self._pending)
        ready, self._pending = self._pending[:end], self._pending[end:]
        self._write(ready, at)

    def _write(self, text: str, at: float) -> None:
        text = self._mask(clean_text(text))
        if not text:
            return
        when = self._clock.shown(at)
        if self._events and self._events[-1][:2] == (when, "o"):
            self._events[-1] = (when, "o", self._events[-1][2] + text)
        else:
            self._events.append((when, "o", text))


class _Clock:
    """The caller's times -> times as the recording plays, long pauses shortened."""

    def __init__(self, longest: float, shown_as: float) -> None:
        self.longest, self.shown_as = longest, shown_as
        self.first: float | None = None
        self.last = 0.0
        self.played = 0.0
        self.cut = 0.0

    def shown(self, at: float) -> float:
        """When `at` plays; times never go back, and a long pause counts as a short one."""
        if self.first is None:
            self.first = self.last = at
        gap = max(0.0, at - self.last)
        self.last = max(self.last, at)
        if gap > self.longest:
            self.cut += gap - self.shown_as
            gap = self.shown_as
        self.played += gap
        return self.played

    def hold(self, until: float) -> float:
        """Play nothing until `until` (a pause a reader needs that the run did not have)."""
        self.played = max(self.played, until)
        return self.played

    def shortened(self) -> dict[str, float] | None:
        """What the header says about shortening: None when no pause was cut."""
        if self.cut <= 0:
            return None
        real = self.last - (self.first if self.first is not None else self.last)
        return {
            "real_duration": round(real, 3),
            "played_duration": round(self.played, 3),
            "pauses_over": self.longest,
            "played_as": self.shown_as,
        }
