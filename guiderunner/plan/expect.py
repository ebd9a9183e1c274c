"""Expected-output lines: one small rule per kind of line, in a registry that plan and match share.

>>> [p.kind for p in compile_lines(["...", "a ... b", "x+ (re)", "plain"], regex=False)]
['any-lines', 'inline', 'regex', 'exact']
>>> matches(compile_lines(["Now listening on: ..."], regex=False)[0], "Now listening on: http://x")
True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from guiderunner.model import LinePattern, PatternKind

REGEX_SUFFIX = " (re)"
ELLIPSIS = "..."


class PatternError(ValueError):
    """An expected line that cannot be compiled (an invalid regular expression)."""


@dataclass(frozen=True, slots=True)
class Rule:
    """How one kind of expected line is recognised and compiled."""

    kind: PatternKind
    """The name reports and tests use."""
    recognises: Callable[[str, bool], bool]
    """(line, block is in regex mode) -> does this rule own the line?"""
    compile: Callable[[str], re.Pattern[str] | None]
    """The line -> its compiled regex (` (re)` lines only), or None."""


def _is_any_lines(line: str, _regex_block: bool) -> bool:
    return line.strip() == ELLIPSIS


def _is_regex(line: str, regex_block: bool) -> bool:
    return regex_block or line.endswith(REGEX_SUFFIX)


def _has_inline_ellipsis(line: str, _regex_block: bool) -> bool:
    return ELLIPSIS in line


def _always(_line: str, _regex_block: bool) -> bool:
    return True


def _no_regex(_line: str) -> None:
    return None


def _compile_regex(line: str) -> re.Pattern[str]:
    source = line.removesuffix(REGEX_SUFFIX)
    try:
        return re.compile(source)
    except re.error as error:
        raise PatternError(f"invalid regular expression {source!r}: {error}") from None


RULES: tuple[Rule, ...] = (
    Rule("any-lines", _is_any_lines, _no_regex),
    Rule("regex", _is_regex, _compile_regex),
    Rule("inline", _has_inline_ellipsis, _no_regex),
    Rule("exact", _always, _no_regex),
)
"""First rule that recognises a line wins; `exact` takes the rest."""


def compile_line(line: str, *, regex: bool) -> LinePattern:
    """Compile one expected line with the first rule that owns it."""
    text = line.rstrip()
    rule = next(r for r in RULES if r.recognises(text, regex))
    pieces = tuple(text.split(ELLIPSIS)) if rule.kind == "inline" else ()
    return LinePattern(kind=rule.kind, text=text, regex=rule.compile(text), pieces=pieces)


def compile_lines(lines: Sequence[str], *, regex: bool) -> tuple[LinePattern, ...]:
    """Compile a block's expected output; trailing blank lines are not expected."""
    kept = list(lines)
    while kept and not kept[-1].strip():
        kept.pop()
    return tuple(compile_line(line, regex=regex) for line in kept)


def matches(pattern: LinePattern, line: str) -> bool:
    """Does one actual line satisfy one (non `...`) expected line?

    A ` (re)` line is a user's Python regular expression, matched against one line only, so
    its cost is bounded by that line. An inline `...` line never becomes a regex: its
    literal pieces are found in order (`pieces_match`), in time linear in the line.
    """
    if pattern.kind == "inline":
        return pieces_match(pattern.pieces, line)
    if pattern.regex is None:
        return pattern.kind == "exact" and pattern.text == line
    return pattern.regex.fullmatch(line) is not None


def pieces_match(pieces: Sequence[str], line: str) -> bool:
    """Does `line` read as the pieces in order, with any text where they were cut (`...`)?

    The first piece must start the line and the last end it; each middle piece is taken at
    its leftmost place after the one before, which is always right for `*`-like wildcards,
    so there is no backtracking: at most one scan of the line per piece.

    >>> pieces_match(["a ", " b ", " c"], "a x b y b z c"), pieces_match(["ab", "ba"], "aba")
    (True, False)
    """
    first, *middle, last = pieces
    if not line.startswith(first):
        return False
    position = len(first)
    for piece in middle:
        found = line.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return len(line) - position >= len(last) and line.endswith(last)
