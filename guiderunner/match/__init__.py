"""Observation -> Verdict: normalise what the terminal printed and compare it with the guide.

The exit status is checked first; then the output, line by line, with the rules of
`guiderunner.plan.expect`: match.fit says whether they match, in near-linear time; only a
failure is aligned (match.align, within a budget and the step's time), and the diff
(match.hunks) shows only real differences, windowed: actual lines that a pattern accepted are
shown as the pattern, invisible characters as escapes, and a caret under the first difference
(guiderunner.match.show).
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

from guiderunner.match.fit import fits
from guiderunner.match.show import render
from guiderunner.model import (
    LinePattern,
    Observation,
    Verdict,
)

# CSI sequences (colours, cursor), OSC strings (titles), and two-byte escapes (ESC =, ESC 7).
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[ -/]*[0-~]")


def normalise(text: str) -> list[str]:
    r"""Terminal output as a reader sees it: no escapes, no CR, no trailing blanks.

    >>> normalise("a  \r\n\x1b[1mb\x1b[0m\r\n10%\r100%\r\n\x1b[?1h\x1b=c\r\n\r\n")
    ['a', 'b', '100%', 'c']
    """
    if "\x1b" in text:
        text = ANSI.sub("", text)
    lines = text.replace("\r\n", "\n").split("\n")
    cleaned = [
        line.rsplit("\r", 1)[-1].rstrip() if "\r" in line else line.rstrip() for line in lines
    ]
    while cleaned and not cleaned[-1]:
        cleaned.pop()
    return cleaned


def judge(observation: Observation) -> Verdict:
    """The verdict on one observation."""
    step = observation.step
    if observation.skipped is not None:
        return Verdict(observation, "skipped", observation.skipped)
    if observation.error is not None:
        return Verdict(observation, "error", observation.error)
    if not step.judged_on_output:
        return Verdict(observation, "passed")
    actual = normalise(observation.output)
    expected = step.checked_output
    deadline = time.monotonic() + _time_left(observation)
    checked = expected or step.expects_silence
    diff = compare(expected, actual, deadline) if checked else ()
    status = step.expected_status
    if status is not None and observation.status != status:
        message = f"exit status {observation.status}, expected {status}"
        return Verdict(observation, "failed", message, diff)
    if diff:
        why = "output differs" if expected else "printed output; none expected (strict)"
        return Verdict(observation, "failed", why, diff)
    return Verdict(observation, "passed")


def compare(
    expected: Sequence[LinePattern], actual: Sequence[str], deadline: float | None = None
) -> tuple[str, ...]:
    """A unified diff of expected vs actual, empty when the output matches.

    Whether it matches is decided in near-linear time (guiderunner.match.fit); only a failure
    is aligned, within a budget of work and the deadline (guiderunner.match.align).
    """
    if fits(expected, actual):
        return ()
    from guiderunner.match.align import Budget, align  # only a failure is aligned
    from guiderunner.match.hunks import unified

    edits = align(expected, actual, Budget(deadline=deadline))
    if all(edit.op == "keep" for edit in edits):
        return ()
    return tuple(render(unified(expected, edits)))


def _time_left(observation: Observation) -> float:
    """What is left of the step's own timeout once it ran, never under MIN_COMPARE seconds."""
    timeout = getattr(observation.step, "timeout", 0.0) or 0.0
    return max(MIN_COMPARE, float(timeout) - observation.duration)


MIN_COMPARE = 2.0
"""Seconds a comparison may always take, however little of the step's timeout is left."""
