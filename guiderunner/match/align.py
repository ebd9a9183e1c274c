"""Expected lines against actual lines, in bounded time and memory whatever their number.

The exact table (guiderunner.match.script) costs expected x actual cells: 3,000 x 3,000 lines
took 17 s and 900 MB, 100,000 x 100,000 did not fit in memory. So the table only ever sees
small pieces, and the rest is cut down first, each cut linear in the lines it looks at:

1. the lines that match at the start and at the end are kept (greedy is optimal there: a
   pattern that matches the line it faces loses nothing by taking it);
2. a piece small enough (`Budget.piece` cells) is tabulated exactly: small outputs get the
   very script they always got;
3. a larger piece is cut at anchors, exact lines written once in the piece and printed once
   in it (the longest run of them in the same order), as patience diff does; each gap
   between anchors starts over at 1;
4. a large piece with no anchor, or once the budget is spent, is walked with a bounded
   look-ahead: a difference is resynchronised on the nearest pair of lines that match, or
   taken as one replaced line. The script is then valid but may not be the shortest.

guiderunner.match renders its diffs from the script, guiderunner.rewrite writes new expected
output from it. Whether output matches at all is decided by guiderunner.match.fit, not here.
"""

from __future__ import annotations

import bisect
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from guiderunner.match.script import Edit, exact
from guiderunner.model import LinePattern
from guiderunner.plan.expect import matches

PIECE = 100_000
"""Cells of one exact table (about 0.1 s)."""
TOTAL = 1_000_000
"""Cells and line comparisons of one whole alignment (a few seconds at most)."""
LOOKAHEAD = 40
"""Lines looked ahead on each side to resynchronise after a difference."""
GIVE_UP = 8
"""Resynchronisations in a row that found nothing, after which lines are paired as they come
until one matches again (two outputs with nothing in common cost one pass, not a search)."""

Piece = tuple[int, int, int, int]
"""patterns[i0:i1] against actual[j0:j1]."""


@dataclass(slots=True)
class Budget:
    """Work an alignment may still do: cells (or comparisons) and a wall-clock deadline."""

    left: int = TOTAL
    piece: int = PIECE
    deadline: float | None = None
    _ticks: int = field(default=0)

    def spend(self, cells: int) -> bool:
        """Take `cells` from the budget; False (and nothing taken) when they are not there."""
        if cells > self.left or self._late():
            return False
        self.left -= cells
        return True

    def _late(self) -> bool:
        self._ticks += 1
        if self.deadline is None or self._ticks % 64:
            return False
        if time.monotonic() < self.deadline:
            return False
        self.left = 0
        return True


def align(
    patterns: Sequence[LinePattern], actual: Sequence[str], budget: Budget | None = None
) -> list[Edit]:
    """A cheap way to turn the expected lines into the actual ones (the cheapest when small).

    >>> from guiderunner.plan.expect import compile_line
    >>> pats = [compile_line(t, regex=False) for t in ["...", "end"]]
    >>> [(e.op, e.pattern, e.actual) for e in align(pats, ["build", "END"])]
    [('keep', 0, None), ('replace', 1, 'END')]
    """
    budget = budget or Budget()
    edits: list[Edit] = []
    todo: list[Piece | Edit] = [(0, len(patterns), 0, len(actual))]
    while todo:
        item = todo.pop()
        if isinstance(item, Edit):
            edits.append(item)
            continue
        todo.extend(reversed(_split(patterns, actual, item, budget, edits)))
    return edits


def _split(
    patterns: Sequence[LinePattern],
    actual: Sequence[str],
    piece: Piece,
    budget: Budget,
    out: list[Edit],
) -> list[Piece | Edit]:
    """Solve a piece, or cut it: its head goes to `out`, the rest comes back in order."""
    i0, i1, j0, j1 = piece
    cells = (i1 - i0 + 1) * (j1 - j0 + 1)
    if cells <= budget.piece and budget.spend(cells):
        return list(exact(patterns[i0:i1], actual[j0:j1], i0))
    while i0 < i1 and j0 < j1 and _fits(patterns[i0], actual[j0]):
        out.append(Edit("keep", i0, None))
        i0, j0 = i0 + 1, j0 + 1
    tail: list[Piece | Edit] = []
    while i0 < i1 and j0 < j1 and _fits(patterns[i1 - 1], actual[j1 - 1]):
        tail.append(Edit("keep", i1 - 1, None))
        i1, j1 = i1 - 1, j1 - 1
    tail.reverse()
    if i0 == i1 or j0 == j1 or (i1 - i0 + 1) * (j1 - j0 + 1) <= budget.piece:
        cells = (i1 - i0 + 1) * (j1 - j0 + 1)
        if budget.spend(cells):
            return [*exact(patterns[i0:i1], actual[j0:j1], i0), *tail]
    anchors = _anchors(patterns, actual, (i0, i1, j0, j1))
    if not anchors or not budget.spend((i1 - i0) + (j1 - j0)):
        return [*_walk(patterns, actual, (i0, i1, j0, j1), budget), *tail]
    middle: list[Piece | Edit] = []
    for i, j in anchors:
        middle += [(i0, i, j0, j), Edit("keep", i, None)]
        i0, j0 = i + 1, j + 1
    return [*middle, (i0, i1, j0, j1), *tail]


def _fits(pattern: LinePattern, line: str) -> bool:
    return pattern.kind != "any-lines" and matches(pattern, line)


def _anchors(
    patterns: Sequence[LinePattern], actual: Sequence[str], piece: Piece
) -> list[tuple[int, int]]:
    """Exact lines unique on both sides, the longest run of them in the same order."""
    i0, i1, j0, j1 = piece
    written = Counter(p.text for p in patterns[i0:i1] if p.kind == "exact")
    once = {text for text, count in written.items() if count == 1}
    printed = Counter(line for line in actual[j0:j1] if line in once)
    where = {line: j for j, line in enumerate(actual[j0:j1], j0) if printed.get(line) == 1}
    pairs = [
        (i, where[p.text])
        for i, p in enumerate(patterns[i0:i1], i0)
        if p.kind == "exact" and p.text in where
    ]
    return _increasing(pairs)


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of pairs whose second items increase (patience sorting)."""
    tops: list[int] = []
    ends: list[int] = []
    back: list[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        at = bisect.bisect_left(tops, j)
        back[k] = ends[at - 1] if at else -1
        if at == len(tops):
            tops.append(j)
            ends.append(k)
        else:
            tops[at], ends[at] = j, k
    chain: list[tuple[int, int]] = []
    k = ends[-1] if ends else -1
    while k >= 0:
        chain.append(pairs[k])
        k = back[k]
    return chain[::-1]


def _walk(
    patterns: Sequence[LinePattern], actual: Sequence[str], piece: Piece, budget: Budget
) -> list[Edit]:
    """A valid script in one pass: matches kept, `...` swallowing up to the next match."""
    i, i1, j, j1 = piece
    edits: list[Edit] = []
    misses = 0
    while i < i1 and j < j1:
        pattern = patterns[i]
        if pattern.kind == "any-lines":
            ahead = patterns[i + 1] if i + 1 < i1 else None
            if ahead is None:  # a last `...` swallows the rest
                return [*edits, Edit("keep", i, None)]
            if ahead.kind == "any-lines" or _fits(ahead, actual[j]):
                edits.append(Edit("keep", i, None))
                i += 1
            else:
                j += 1
            continue
        if matches(pattern, actual[j]):
            edits.append(Edit("keep", i, None))
            i, j, misses = i + 1, j + 1, 0
            continue
        skip = _resync(patterns, actual, (i, i1, j, j1), budget) if misses < GIVE_UP else None
        if skip is None:
            edits.append(Edit("replace", i, actual[j]))
            i, j, misses = i + 1, j + 1, misses + 1
            continue
        dropped, inserted = skip
        edits += [Edit("drop", k, None) for k in range(i, i + dropped)]
        edits += [Edit("insert", None, line) for line in actual[j : j + inserted]]
        i, j = i + dropped, j + inserted
    edits += [
        Edit("keep" if patterns[k].kind == "any-lines" else "drop", k, None) for k in range(i, i1)
    ]
    edits += [Edit("insert", None, line) for line in actual[j:j1]]
    return edits


def _resync(
    patterns: Sequence[LinePattern], actual: Sequence[str], piece: Piece, budget: Budget
) -> tuple[int, int] | None:
    """(lines dropped, lines inserted) to reach the nearest matching pair, only one side moved.

    None when the look-ahead finds none, or the budget is spent: one line is replaced then.
    """
    i, i1, j, j1 = piece
    for step in range(1, LOOKAHEAD + 1):
        if not budget.spend(2):
            return None
        if j + step < j1 and _fits(patterns[i], actual[j + step]):
            return 0, step
        if i + step < i1 and _fits(patterns[i + step], actual[j]):
            return step, 0
    return None
