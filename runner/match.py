"""Observation -> Verdict: normalise what the terminal printed and compare it with the guide.

The exit status is checked first; then the output, line by line, with the rules of
`runner.expect`. A `...` line may stand for any number of lines, so the comparison is an
alignment (the fewest unmatched lines wins), which also gives a diff that shows only real
differences: actual lines that a pattern accepted are shown as the pattern.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from runner.expect import matches
from runner.model import (
    Command,
    LinePattern,
    Observation,
    StartService,
    StopService,
    Verdict,
    WriteFile,
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
    if isinstance(step, WriteFile | StartService):
        return Verdict(observation, "passed")
    actual = normalise(observation.output)
    diff = compare(step.expected, actual) if step.expected else ()
    if isinstance(step, Command) and observation.status != step.exit_status:
        message = f"exit status {observation.status}, expected {step.exit_status}"
        return Verdict(observation, "failed", message, diff)
    if diff:
        return Verdict(observation, "failed", "output differs", diff)
    assert isinstance(step, Command | StopService)
    return Verdict(observation, "passed")


def compare(expected: Sequence[LinePattern], actual: Sequence[str]) -> tuple[str, ...]:
    """A unified diff of expected vs actual, empty when the output matches."""
    if _matches_line_by_line(expected, actual):
        return ()
    seen = _seen_through(expected, actual)
    wanted = [p.text for p in expected]
    if seen == wanted:
        return ()
    return tuple(difflib.unified_diff(wanted, seen, "expected", "actual", lineterm=""))


def _matches_line_by_line(expected: Sequence[LinePattern], actual: Sequence[str]) -> bool:
    if len(expected) != len(actual) or any(p.kind == "any-lines" for p in expected):
        return False
    return all(matches(p, line) for p, line in zip(expected, actual, strict=True))


def _seen_through(expected: Sequence[LinePattern], actual: Sequence[str]) -> list[str]:
    """The actual lines, with each line a pattern accepted replaced by that pattern."""
    cost = _costs(expected, actual)
    seen: list[str] = []
    i, j = 0, 0
    while i < len(expected) or j < len(actual):
        pattern = expected[i] if i < len(expected) else None
        if pattern is not None and pattern.kind == "any-lines":
            # End the `...` as early as the best alignment allows, so later lines can match.
            if j < len(actual) and cost[i][j] != cost[i + 1][j]:
                j += 1
                continue
            seen.append(pattern.text)
            i += 1
        elif (
            pattern is not None
            and j < len(actual)
            and matches(pattern, actual[j])
            and cost[i][j] == cost[i + 1][j + 1]
        ):
            seen.append(pattern.text)
            i, j = i + 1, j + 1
        elif pattern is not None and (j == len(actual) or cost[i][j] == cost[i + 1][j] + 1):
            i += 1  # an expected line that never came: the diff shows it removed
        else:
            seen.append(actual[j])
            j += 1
    return seen


def _costs(expected: Sequence[LinePattern], actual: Sequence[str]) -> list[list[int]]:
    """cost[i][j]: fewest unmatched lines aligning expected[i:] with actual[j:]."""
    m, n = len(expected), len(actual)
    cost = [[0] * (n + 1) for _ in range(m + 1)]
    for j in range(n - 1, -1, -1):
        cost[m][j] = cost[m][j + 1] + 1
    for i in range(m - 1, -1, -1):
        pattern = expected[i]
        row, below = cost[i], cost[i + 1]
        row[n] = below[n] + (0 if pattern.kind == "any-lines" else 1)
        for j in range(n - 1, -1, -1):
            if pattern.kind == "any-lines":
                row[j] = min(below[j], row[j + 1])
            elif matches(pattern, actual[j]):
                row[j] = min(below[j + 1], below[j] + 1, row[j + 1] + 1)
            else:
                row[j] = min(below[j], row[j + 1]) + 1
    return cost
