"""A unified diff read off an edit script, windowed so that a huge failure stays readable.

The rows are the script's own: a kept line is context (shown as the author wrote it, so a
line a pattern accepted is no difference), a dropped line `-`, an inserted one `+`, a replaced
one both. Within a change the `-` rows come first, as in any unified diff, so that
guiderunner.match.show can put a caret under each replaced line.

Only the first `HUNKS` hunks are shown, each change cut after `ROWS` lines a side and
each hunk after `SHOWN` lines; one last
line counts what was left out, so a 100,000-line failure reads as its first difference with
context and the number of the others.
"""

from __future__ import annotations

from collections.abc import Sequence

from guiderunner.match.script import Edit
from guiderunner.model import LinePattern

CONTEXT = 3
HUNKS = 3
ROWS = 20
SHOWN = 60
"""Lines of one hunk shown at most."""
Row = tuple[str, str, int, int]
"""(mark, text, expected lines before it, actual lines before it)."""


def unified(patterns: Sequence[LinePattern], edits: Sequence[Edit]) -> list[str]:
    """`--- expected`, `+++ actual`, the first hunks, and a count of the rest; [] when equal."""
    rows = _rows(patterns, edits)
    changed = [k for k, row in enumerate(rows) if row[0] != " "]
    if not changed:
        return []
    groups = _groups(changed, len(rows))
    out = ["--- expected", "+++ actual"]
    for start, end in groups[:HUNKS]:
        out += _hunk(rows[start:end])
    hidden = [k for start, end in groups[HUNKS:] for k in range(start, end) if rows[k][0] != " "]
    if hidden:
        expected = sum(1 for row in rows if row[0] != "+")
        printed = sum(1 for row in rows if row[0] != "-")
        out.append(
            f"… {len(hidden)} more differing lines in {len(groups) - HUNKS} more places"
            f" (expected {expected} lines, actual {printed})"
        )
    return out


def _rows(patterns: Sequence[LinePattern], edits: Sequence[Edit]) -> list[Row]:
    """One row per diff line, each change's `-` rows before its `+` rows."""
    rows: list[Row] = []
    removed: list[Row] = []
    added: list[Row] = []
    old = new = 0
    for edit in edits:
        if edit.op == "keep":
            rows += removed + added
            removed, added = [], []
            assert edit.pattern is not None
            rows.append((" ", patterns[edit.pattern].text, old, new))
            old, new = old + 1, new + 1
            continue
        if edit.op in ("drop", "replace"):
            assert edit.pattern is not None
            removed.append(("-", patterns[edit.pattern].text, old, new))
            old += 1
        if edit.op in ("replace", "insert"):
            assert edit.actual is not None
            added.append(("+", edit.actual, old, new))
            new += 1
    return rows + removed + added


def _groups(changed: list[int], total: int) -> list[tuple[int, int]]:
    """Row ranges of the hunks: each change with CONTEXT rows around, merged when they touch."""
    groups: list[tuple[int, int]] = []
    for k in changed:
        start, end = max(0, k - CONTEXT), min(total, k + CONTEXT + 1)
        if groups and start <= groups[-1][1]:
            groups[-1] = (groups[-1][0], end)
        else:
            groups.append((start, end))
    return groups


def _hunk(rows: Sequence[Row]) -> list[str]:
    """One hunk: its header, then its rows, each run of `-` or `+` cut after ROWS lines."""
    old = [row for row in rows if row[0] != "+"]
    new = [row for row in rows if row[0] != "-"]
    first = rows[0]
    header = f"@@ -{_range(first[2], len(old))} +{_range(first[3], len(new))} @@"
    out = [header]
    run_mark, run_length, cut = "", 0, 0
    for mark, text, _, _ in rows:
        run_length = run_length + 1 if mark == run_mark else 1
        run_mark = mark
        if (mark != " " and run_length > ROWS) or len(out) > SHOWN:
            cut += 1
            continue
        if cut:
            out.append(f"… {cut} more lines")
            cut = 0
        out.append(mark + text)
    if cut:
        out.append(f"… {cut} more lines")
    return out


def _range(start: int, length: int) -> str:
    """A unified diff's range: `3` for one line, `2,0` for none, `3,4` otherwise."""
    if length == 1:
        return str(start + 1)
    return f"{start + (1 if length else 0)},{length}"
