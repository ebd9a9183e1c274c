"""The exact edit script between expected and actual lines, for problems small enough to tabulate.

A `...` line may stand for any number of lines, so comparing output is an alignment. Among
alignments with the fewest unmatched lines, the one where `...` swallows the fewest lines wins,
then the one with the fewest replaced lines: a changed last line then shows (and is rewritten)
in place rather than absorbed by a `...` before it.

The table costs (m + 1) x (n + 1) cells in time and memory, so guiderunner.match.align calls it
only on pieces under its budget. A cost is one int, `unmatched * S^2 + swallowed * S + replaced`
with S above any count: ints compare in the order the three counts do, at a fraction of the
cost of tuples.
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


def exact(patterns: Sequence[LinePattern], actual: Sequence[str], base: int = 0) -> list[Edit]:
    """The cheapest edit script; pattern indexes in it are offset by `base`.

    >>> from guiderunner.plan.expect import compile_line
    >>> pats = [compile_line(t, regex=False) for t in ["...", "end"]]
    >>> [(e.op, e.pattern, e.actual) for e in exact(pats, ["build", "END"])]
    [('keep', 0, None), ('replace', 1, 'END')]
    """
    m, n = len(patterns), len(actual)
    scale = m + n + 1
    unmatched, swallowed = scale * scale, scale
    cost = _costs(patterns, actual, unmatched, swallowed)
    edits: list[Edit] = []
    i = j = 0
    while i < m or j < n:
        pattern = patterns[i] if i < m else None
        here = cost[i][j]
        if pattern is not None and pattern.kind == "any-lines":
            if here == cost[i + 1][j]:
                edits.append(Edit("keep", base + i, None))
                i += 1
            else:
                j += 1  # the `...` swallows this line
        elif (
            pattern is not None
            and j < n
            and here == cost[i + 1][j + 1]
            and matches(pattern, actual[j])
        ):
            edits.append(Edit("keep", base + i, None))
            i, j = i + 1, j + 1
        elif pattern is not None and j < n and here == cost[i + 1][j + 1] + unmatched + 1:
            edits.append(Edit("replace", base + i, actual[j]))
            i, j = i + 1, j + 1
        elif pattern is not None and (j == n or here == cost[i + 1][j] + unmatched):
            edits.append(Edit("drop", base + i, None))
            i += 1
        else:
            edits.append(Edit("insert", None, actual[j]))
            j += 1
    return edits


def _costs(
    patterns: Sequence[LinePattern], actual: Sequence[str], unmatched: int, swallowed: int
) -> list[list[int]]:
    """cost[i][j]: the cheapest alignment of patterns[i:] with actual[j:]."""
    m, n = len(patterns), len(actual)
    cost = [[0] * (n + 1) for _ in range(m + 1)]
    last = cost[m]
    for j in range(n - 1, -1, -1):
        last[j] = last[j + 1] + unmatched
    for i in range(m - 1, -1, -1):
        pattern, row, below = patterns[i], cost[i], cost[i + 1]
        if pattern.kind == "any-lines":
            row[n] = below[n]
            for j in range(n - 1, -1, -1):
                row[j] = min(below[j], row[j + 1] + swallowed)
            continue
        row[n] = below[n] + unmatched
        text = pattern.text if pattern.kind == "exact" else None
        for j in range(n - 1, -1, -1):  # the hot loop: no call but for a non-exact pattern
            kept = below[j + 1]
            best = kept + unmatched + 1
            other = below[j] + unmatched
            best = min(best, other)
            other = row[j + 1] + unmatched
            best = min(best, other)
            if best > kept and (
                actual[j] == text if text is not None else matches(pattern, actual[j])
            ):
                best = kept
            row[j] = best
    return cost
