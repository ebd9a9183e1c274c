"""One command's expected output rewritten from its actual output, keeping the author's lines.

The author's lines are walked against the actual lines (runner.align, the same alignment the
diffs of guiderunner.match come from):

- a line that still matches keeps its text: `...`, `a ... b`, `x (re)` and `<placeholders>`;
- a plain line that no longer matches is replaced by the actual line, or removed;
- a pattern line that no longer matches is kept and reported (its file:line), so that the
  author rewrites the pattern instead of the update pinning a volatile value;
- an actual line no pattern accounts for is inserted.

Written lines get their placeholders back (`stockkube/app` becomes `<myorg>/app`), and are
written so that the page still parses: a line that would read as a command, a continuation,
a fence, a comment's end or a regular expression is written as an escaped regular expression.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from guiderunner.match.align import align
from guiderunner.model import LinePattern
from guiderunner.plan import PLACEHOLDER
from guiderunner.plan.expect import ELLIPSIS, REGEX_SUFFIX, compile_line, matches

FENCES = ("```", "~~~")
COMMENT_END = "-->"
REGEX_CHARS = re.compile(r"([.^$*+?{}\[\]\\|()])")


# --- one output ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rewrite:
    """One command's new expected lines, and the author's patterns that stopped matching."""

    lines: tuple[str, ...]
    """The new expected lines."""
    stale: tuple[tuple[int, str | None], ...] = ()
    """(index among the author's lines, the actual line it met or None): patterns kept as
    written, for the author to fix; a volatile literal would only fail the next run."""


def rewrite_output(
    patterns: Sequence[LinePattern],
    raw: Sequence[str],
    actual: Sequence[str],
    placeholders: Mapping[str, str],
    regex_block: bool,
    *,
    indent: str = "",
) -> Rewrite:
    """The new expected lines: the author's where they match, actual lines where not.

    A pattern line (`a ... b`, `x (re)`, any line of a regex block) that matches nothing is
    kept and reported, never replaced by the line it missed.

    >>> pats = [compile_line(t, regex=False) for t in ["start", "...", "port 80", "id [0-9]+ (re)"]]
    >>> rewrite_output(pats, ["start", "...", "port 80", "id [0-9]+ (re)"],
    ...                ["start", "noise", "port 8080", "id x"], {}, False)
    Rewrite(lines=('start', '...', 'port 8080', 'id [0-9]+ (re)'), stale=((3, 'id x'),))
    """
    new: list[str] = []
    stale: list[tuple[int, str | None]] = []
    for edit in align(patterns, actual):
        if (
            edit.pattern is not None
            and edit.op != "keep"
            and patterns[edit.pattern].kind != "exact"
        ):
            new.append(raw[edit.pattern])
            stale.append((edit.pattern, edit.actual))
        elif edit.op == "keep":
            assert edit.pattern is not None
            new.append(raw[edit.pattern])
        elif edit.op in ("replace", "insert"):
            assert edit.actual is not None
            new.append(indent + written(edit.actual, placeholders, regex_block, first=not new))
    return Rewrite(tuple(new), tuple(stale))


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
