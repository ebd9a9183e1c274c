"""A page's recording fed by its life: the two seams of guiderunner.run.seams a Recorder plugs into.

`raw` is a RawObserver (the shell's bytes, as the reader's terminal shows them) and
`step_started` a StepStarted (a chapter, and the command as the reader types it). A step the
page skips gets neither, since the reader would not see it run; nor does a step of a hidden
block (`hidden`, which the site never shows), whose output is left out too. The page's
output filters (secret masking) become the recorder's mask through `combined`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from guiderunner.model import Step
from guiderunner.report.asciicast import CONTINUATION, PROMPT, Mask, Recorder, step_label

__all__ = ["PageRecording", "combined", "hidden_steps", "step_entry", "unprompted"]

Clock = Callable[[], float]


def step_entry(step: Step) -> tuple[str, str | None]:
    """A step's marker label, and what the reader types for it (None: nothing is typed).

    >>> from guiderunner.model import Span, WriteFile
    >>> step_entry(WriteFile(Span("p.md", 9, 12), "app/Dockerfile", "FROM x"))
    ('9: write app/Dockerfile', None)
    """
    if step.typed_lines:  # the kinds a reader types
        typed = unprompted("\n".join(step.typed_lines))
        return step_label(step.span.start, typed), typed
    return step_label(step.span.start, step.summary), None


def unprompted(shown: str) -> str:
    r"""A command as the page shows it, without its prompts (`$ `, then `> `): what is typed.

    >>> unprompted("$ cat <<EOF\n> a\n> EOF")
    'cat <<EOF\na\nEOF'
    """
    first, *rest = shown.split("\n")
    return "\n".join(
        [first.removeprefix(PROMPT), *(line.removeprefix(CONTINUATION) for line in rest)]
    )


def hidden_steps(spans: Sequence[tuple[int, int]]) -> Callable[[Step], bool]:
    """Whether a step comes from a hidden block, given those blocks' first and last lines.

    >>> from guiderunner.model import Span, WriteFile
    >>> hidden = hidden_steps([(10, 14)])
    >>> hidden(WriteFile(Span("p.md", 11, 13), "a", ""))
    True
    >>> hidden(WriteFile(Span("p.md", 3, 5), "a", ""))
    False
    """
    return lambda step: any(start <= step.span.start <= end for start, end in spans)


def combined(filters: Sequence[Callable[[str], str]]) -> Mask:
    """The page's output filters, in order, as one mask.

    >>> combined([str.upper, lambda t: t.replace("A", "*")])("abc")
    '*BC'
    """

    def mask(text: str) -> str:
        for rewrite in filters:
            text = rewrite(text)
        return text

    return mask


class PageRecording:
    """Turns a page's events into a Recorder's calls, with the time of each."""

    def __init__(
        self,
        recorder: Recorder,
        clock: Clock = time.monotonic,
        hidden: Callable[[Step], bool] = lambda step: False,
    ) -> None:
        self.recorder = recorder
        self._clock = clock
        self._hidden = hidden
        self._muted = False

    def raw(self, chunk: bytes) -> None:
        """A RawObserver: what the page's shell wrote to its terminal (not during hidden steps)."""
        if not self._muted:
            self.recorder.output(chunk, self._clock())

    def step_started(self, path: str, step: Step) -> None:
        """A StepStarted: a marker for the step, then the prompt and its command, if typed."""
        if step.skip is not None:
            return
        self._muted = self._hidden(step)
        if self._muted:
            return
        now = self._clock()
        label, typed = step_entry(step)
        self.recorder.marker(label, now)
        if typed is not None:
            self.recorder.command(typed, now)
