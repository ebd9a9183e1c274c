"""Observation -> Verdict: normalise what the terminal printed and compare it with the guide.

The exit status is checked first; then the output, line by line, with the rules of
`guiderunner.plan.expect`. When they do not simply match one by one, match.align finds the best
alignment, and the diff shows only real differences: actual lines that a pattern accepted are
shown as the pattern, invisible characters as escapes, and a caret under the first difference
(guiderunner.match.show).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from guiderunner.match.align import align
from guiderunner.match.show import render
from guiderunner.model import (
    LinePattern,
    Observation,
    Verdict,
)
from guiderunner.plan.expect import matches

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
    diff = compare(expected, actual) if expected else ()
    status = step.expected_status
    if status is not None and observation.status != status:
        message = f"exit status {observation.status}, expected {status}"
        return Verdict(observation, "failed", message, diff)
    if diff:
        return Verdict(observation, "failed", "output differs", diff)
    return Verdict(observation, "passed")


def compare(expected: Sequence[LinePattern], actual: Sequence[str]) -> tuple[str, ...]:
    """A unified diff of expected vs actual, empty when the output matches."""
    if _matches_line_by_line(expected, actual):
        return ()
    seen = _seen_through(expected, actual)
    wanted = [p.text for p in expected]
    if seen == wanted:
        return ()
    return tuple(
        render(list(difflib.unified_diff(wanted, seen, "expected", "actual", lineterm="")))
    )


def _matches_line_by_line(expected: Sequence[LinePattern], actual: Sequence[str]) -> bool:
    if len(expected) != len(actual) or any(p.kind == "any-lines" for p in expected):
        return False
    return all(matches(p, line) for p, line in zip(expected, actual, strict=True))


def _seen_through(expected: Sequence[LinePattern], actual: Sequence[str]) -> list[str]:
    """The actual lines, with each line a pattern accepted shown as that pattern."""
    seen: list[str] = []
    for edit in align(expected, actual):
        if edit.op == "keep":
            assert edit.pattern is not None
            seen.append(expected[edit.pattern].text)
        elif edit.actual is not None:  # replace or insert: a line no pattern accepts
            seen.append(edit.actual)
    return seen
