"""One command's expected output rewritten from its actual output, keeping the author's lines.

The author's lines are walked against the actual lines (an edit-distance alignment):

- a line that still matches keeps its text: `...`, `a ... b`, `x (re)` and `<placeholders>`;
- a line that no longer matches is replaced by the actual line, or removed;
- an actual line no pattern accounts for is inserted.

Among alignments with the fewest unmatched lines, the one where `...` swallows the fewest lines
wins, so a changed last line is rewritten in place rather than absorbed by a `...` before it.
(runner.match counts unmatched lines only, which is all a diff needs.)

Written lines get their placeholders back (`stockkube/app` becomes `<myorg>/app`), and are
written so that the page still parses: a line that would read as a command, a continuation,
a fence, a comment's end or a regular expression is written as an escaped regular expression.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from runner.expect import ELLIPSIS, REGEX_SUFFIX, compile_line, matches
from runner.model import LinePattern
from runner.plan import PLACEHOLDER

Op = Literal["keep", "drop", "replace", "insert"]
FENCES = ("```", "~~~")
COMMENT_END = "-->"
REGEX_CHARS = re.compile(r"([.^$*+?{}\[\]\\|()])")


@dataclass(frozen=True, slots=True)
class Edit:
    """One line of the rewritten output: the author's line kept, or an actual line written."""

    op: Op
    """keep (pattern matched or `...`), drop (pattern removed), replace or insert (actual line)."""
    pattern: int | None
    """Index of the author's line, for keep, drop and replace."""
    actual: str | None
    """The actual line, for replace and insert."""


# --- one output ------------------------------------------------------------------------------


def rewrite_output(
    patterns: Sequence[LinePattern],
    raw: Sequence[str],
    actual: Sequence[str],
    placeholders: Mapping[str, str],
    regex_block: bool,
    *,
    indent: str = "",
) -> list[str]:
    """The new expected lines: the author's where they match, actual lines where not.

    >>> pats = [compile_line(t, regex=False) for t in ["start", "...", "port 80", "id [0-9]+ (re)"]]
    >>> rewrite_output(pats, ["start", "...", "port 80", "id [0-9]+ (re)"],
    ...                ["start", "noise", "port 8080", "id 42"], {}, False)
    ['start', '...', 'port 8080', 'id [0-9]+ (re)']
    """
    new = []
    for edit in align(patterns, actual):
        if edit.op == "keep":
            assert edit.pattern is not None
            new.append(raw[edit.pattern])
        elif edit.op in ("replace", "insert"):
            assert edit.actual is not None
            new.append(indent + written(edit.actual, placeholders, regex_block, first=not new))
    return new


def align(patterns: Sequence[LinePattern], actual: Sequence[str]) -> list[Edit]:
    """The cheapest way to turn the expected lines into the actual ones.

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


# --- one written line ------------------------------------------------------------------------


def written(line: str, placeholders: Mapping[str, str], regex_block: bool, *, first: bool) -> str:
    r"""An actual line as the page should hold it: placeholders back, escaped when it must be.

    >>> written("pushed stockkube/app", {"myorg": "stockkube"}, False, first=False)
    'pushed <myorg>/app'
    >>> written("$ not a command", {}, False, first=False), written("a.b", {}, True, first=False)
    ('[$] not a command (re)', 'a\\.b')
    """
    for values in (placeholders, {}):
        for writer in WRITERS:
            text = writer(line, values, regex_block, first)
            if text is not None and _reads_back(text, line, values, regex_block):
                return text
    raise AssertionError(f"no way to write {line!r}")  # an escaped line always matches itself


def _as_text(
    line: str, placeholders: Mapping[str, str], regex_block: bool, first: bool
) -> str | None:
    special = line.endswith(REGEX_SUFFIX) or line.strip() == ELLIPSIS
    if regex_block or special or _hazard(line, first):
        return None
    return _with_placeholders(line, placeholders, escape=False)


def _as_regex(line: str, placeholders: Mapping[str, str], regex_block: bool, first: bool) -> str:
    if _starts_badly(line, first):
        # A bracketed first character keeps `$ `, `> ` and fences from starting the line.
        escaped = f"[{line[0]}]" + _with_placeholders(line[1:], placeholders, escape=True)
    else:
        escaped = _with_placeholders(line, placeholders, escape=True)
    escaped = escaped.replace(COMMENT_END, "--[>]")  # would close a hidden block's comment
    return escaped if regex_block else escaped + REGEX_SUFFIX


WRITERS: tuple[Callable[[str, Mapping[str, str], bool, bool], str | None], ...] = (
    _as_text,
    _as_regex,
)
"""Tried in order, with the placeholders and then without: the first that reads back wins."""


def _hazard(line: str, first: bool) -> bool:
    """Would the line, written as is, change how the page parses?"""
    return _starts_badly(line, first) or COMMENT_END in line


def _starts_badly(line: str, first: bool) -> bool:
    """A command, a continuation of the command (first line only) or a fence."""
    return (
        line.startswith("$ ")
        or line == "$"
        or (first and line.startswith(">"))
        or line.lstrip().startswith(FENCES)
    )


def _with_placeholders(line: str, placeholders: Mapping[str, str], *, escape: bool) -> str:
    text = _regex_literal(line) if escape else line
    for name, value in placeholders.items():
        text = text.replace(_regex_literal(value) if escape else value, f"<{name}>")
    return text


def _regex_literal(text: str) -> str:
    r"""Escape what a regular expression would read as special (but not spaces or `#`).

    >>> _regex_literal("a.b (c)")
    'a\\.b \\(c\\)'
    """
    return REGEX_CHARS.sub(r"\\\1", text)


def _reads_back(text: str, line: str, placeholders: Mapping[str, str], regex_block: bool) -> bool:
    filled = PLACEHOLDER.sub(lambda m: placeholders.get(m[1], m[0]), text)
    try:
        pattern = compile_line(filled, regex=regex_block)
    except ValueError:
        return False
    return pattern.kind != "any-lines" and matches(pattern, line)
