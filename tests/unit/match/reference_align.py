"""The alignment as it was before issue 22: the full (m + 1) x (n + 1) table, kept as a reference.

Tests check that the bounded alignment (guiderunner.match.align) gives the same script on
inputs small enough for it to tabulate, and a script as good where it cuts the problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from guiderunner.model import LinePattern
from guiderunner.plan.expect import matches

Op = Literal["keep", "drop", "replace", "insert"]


@dataclass(frozen=True, slots=True)
class Edit:
    """One line of the rewritten output: the author's line kept, or an actual line written."""

    op: Op
    """keep (pattern matched or `...`), drop (pattern removed), replace or insert (actual line)."""
    pattern: int | None
    """Index of the author's line, for keep, drop and replace."""
    actual: str | None
    """The actual line, for replace and insert."""


def align(patterns: Sequence[LinePattern], actual: Sequence[str]) -> list[Edit]:
    """The cheapest way to turn the expected lines into the actual ones.

    >>> from guiderunner.plan.expect import compile_line
    >>> pats = [compile_line(t, regex=False) for t in ["...", "end"]]
    >>> [(e.op, e.pattern, e.actual) for e in align(pats, ["build", "END"])]
    [('keep', 0, None), ('replace', 1, 'END')]
    """
    cost = _costs(patterns, actual)
    edits: list[Edit] = []
    i, j, m, n = 0, 0, len(patterns), len(actual)
    while i < m or j < n:
        pattern = patterns[i] if i < m else None
        here = cost[i][j]
        if pattern is not None and pattern.kind == "any-lines":
            if here == cost[i + 1][j]:
                edits.append(Edit("keep", i, None))
                i += 1
            else:
                j += 1  # the `...` swallows this line
        elif pattern is not None and j < n and _kept(pattern, actual[j], here, cost[i + 1][j + 1]):
            edits.append(Edit("keep", i, None))
            i, j = i + 1, j + 1
        elif pattern is not None and j < n and here == _plus(cost[i + 1][j + 1], 1, replaced=1):
            edits.append(Edit("replace", i, actual[j]))
            i, j = i + 1, j + 1
        elif pattern is not None and (j == n or here == _plus(cost[i + 1][j], unmatched=1)):
            edits.append(Edit("drop", i, None))
            i += 1
        else:
            edits.append(Edit("insert", None, actual[j]))
            j += 1
    return edits


Cost = tuple[int, int, int]
"""(unmatched lines, lines a `...` swallowed, lines replaced): compared in that order."""


def _plus(cost: Cost, unmatched: int = 0, *, swallowed: int = 0, replaced: int = 0) -> Cost:
    return (cost[0] + unmatched, cost[1] + swallowed, cost[2] + replaced)


def _kept(pattern: LinePattern, line: str, here: Cost, after: Cost) -> bool:
    """Does the best alignment keep this pattern for this line?"""
    return here == after and matches(pattern, line)


def _costs(patterns: Sequence[LinePattern], actual: Sequence[str]) -> list[list[Cost]]:
    """cost[i][j]: the cheapest alignment of patterns[i:] with actual[j:]."""
    m, n = len(patterns), len(actual)
    cost: list[list[Cost]] = [[(0, 0, 0)] * (n + 1) for _ in range(m + 1)]
    for j in range(n - 1, -1, -1):
        cost[m][j] = _plus(cost[m][j + 1], unmatched=1)
    for i in range(m - 1, -1, -1):
        pattern, row, below = patterns[i], cost[i], cost[i + 1]
        row[n] = _plus(below[n], unmatched=0 if pattern.kind == "any-lines" else 1)
        for j in range(n - 1, -1, -1):
            if pattern.kind == "any-lines":
                row[j] = min(below[j], _plus(row[j + 1], swallowed=1))
                continue
            options = [
                _plus(below[j + 1], unmatched=1, replaced=1),
                _plus(below[j], unmatched=1),
                _plus(row[j + 1], unmatched=1),
            ]
            if matches(pattern, actual[j]):
                options.append(below[j + 1])
            row[j] = min(options)
    return cost
