"""Does the output match at all? Decided in near-linear time, before any alignment.

Expected lines read as a pattern over lines: runs of line patterns between `...` lines, where a
`...` stands for any number of lines. As with `*` in a glob, taking each run at its leftmost
place after the run before is always right (a later place leaves less room for the rest), so
no backtracking is needed: the first run must start the output, the last must end it, each
middle one is looked for from where the one before ended. The cost is the number of lines,
times the length of a run only where a run almost matches over and over.
"""

from __future__ import annotations

from collections.abc import Sequence

from guiderunner.model import LinePattern
from guiderunner.plan.expect import matches


def fits(patterns: Sequence[LinePattern], actual: Sequence[str]) -> bool:
    """True when the actual lines satisfy the expected ones, `...` included.

    >>> from guiderunner.plan.expect import compile_lines
    >>> pats = compile_lines(["start", "...", "id: ...", "...", "end"], regex=False)
    >>> fits(pats, ["start", "x", "id: 1", "end"]), fits(pats, ["start", "id: 1"])
    (True, False)
    """
    runs = _runs(patterns)
    if len(runs) == 1:
        return len(runs[0]) == len(actual) and _run_at(runs[0], actual, 0)
    first, *middle, last = runs
    if len(first) + len(last) > len(actual) or not _run_at(first, actual, 0):
        return False
    end = len(actual) - len(last)
    position = len(first)
    for run in middle:
        found = _find(run, actual, position, end)
        if found < 0:
            return False
        position = found + len(run)
    return _run_at(last, actual, end)


def _runs(patterns: Sequence[LinePattern]) -> list[list[LinePattern]]:
    """The runs of line patterns between `...` lines (empty runs included)."""
    runs: list[list[LinePattern]] = [[]]
    for pattern in patterns:
        if pattern.kind == "any-lines":
            runs.append([])
        else:
            runs[-1].append(pattern)
    return runs


def _run_at(run: Sequence[LinePattern], actual: Sequence[str], at: int) -> bool:
    return all(matches(p, actual[at + k]) for k, p in enumerate(run))


def _find(run: Sequence[LinePattern], actual: Sequence[str], start: int, end: int) -> int:
    """The leftmost place in actual[start:end] where the run matches, -1 when none."""
    for at in range(start, end - len(run) + 1):
        if _run_at(run, actual, at):
            return at
    return -1
