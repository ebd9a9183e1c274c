r"""Expected lines as a reader can read them: what ran in their place, or a neutral outline.

A ` (re)` line that matches one text only shows that text; another shows its literal parts with
`…` where it varies; a `...` line shows `…`. The lines shown this way are marked: private-use
characters around the line, which guiderunner.site.console turns into spans after Pygments
(an output line is one token, and no prompt starts with one of them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from guiderunner.model import LinePattern
from guiderunner.plan.expect import ELLIPSIS, REGEX_SUFFIX

__all__ = ["END", "NEUTRAL", "RAN", "from_run", "neutral", "regex_literal", "regex_outline"]

RAN, NEUTRAL, END = "\ue000", "\ue002", "\ue001"
"""Around a line: shown from the last run, shown neutrally; the end of the mark."""
LONGEST = 8
"""A `...` that stood for more lines than this shows its first and last few, and a count."""


def neutral(line: str, pattern: LinePattern, placeholder: str) -> list[str]:
    """An expected line with no run at hand: `…` where it varies, never the pattern itself."""
    if pattern.kind == "any-lines":
        return [NEUTRAL + "…" + END]
    if pattern.kind == "inline":
        return [NEUTRAL + line.replace(ELLIPSIS, "…") + END]
    if pattern.kind == "regex":
        source = line.removesuffix(REGEX_SUFFIX)
        literal = regex_literal(source)
        if literal is not None:
            return [literal]
        return [NEUTRAL + (regex_outline(source) or placeholder) + END]
    return [line]


def from_run(line: str, pattern: LinePattern, actual: Sequence[str], more_lines: str) -> list[str]:
    """An expected line shown as the lines of the run it stood for (`fit`), marked."""
    if pattern.kind == "exact":
        return [line]
    if pattern.kind == "regex" and regex_literal(line.removesuffix(REGEX_SUFFIX)) is not None:
        return list(actual)
    if len(actual) > LONGEST:
        hidden = len(actual) - LONGEST + 2
        more = more_lines.format(count=hidden)
        actual = [*actual[:3], more, *actual[-3:]]
    return [RAN + a + END for a in actual]


def regex_literal(source: str) -> str | None:
    r"""The text a regular expression matches when it matches only one, else None.

    >>> regex_literal(r"stockdata:1\.0\.0"), regex_literal("[0-9.]+MB"), regex_literal(r"a\d")
    ('stockdata:1.0.0', None, None)
    """
    literal: list[str] = []
    escaped = False
    for char in source:
        if escaped:
            if char.isalnum():
                return None
            literal.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in ".^$*+?{}[]|()":
            return None
        else:
            literal.append(char)
    return None if escaped else "".join(literal)


def regex_outline(source: str) -> str | None:
    r"""A regular expression as a reader can read it: its literal text, `…` where it varies.

    None when nothing of it is literal, or it has alternatives (`a|b`): then a placeholder.

    >>> regex_outline(r"stockdata:1\.0\.0 [0-9.]+MB"), regex_outline(r"took \d+(\.\d+)? ms")
    ('stockdata:1.0.0 …MB', 'took … ms')
    >>> regex_outline("[0-9]{4}"), regex_outline("yes|no"), regex_outline(r"^a\S*$")
    (None, None, 'a…')
    """
    pieces: list[str | None] = []  # None: a part that varies
    i = 0
    while i < len(source):
        char = source[i]
        if char == "|":
            return None
        if char in "*+?{":
            end = source.find("}", i) + 1 if char == "{" else i + 1
            if char == "{" and end == 0:
                return None
            if pieces:
                pieces[-1] = None
            i = end + (end < len(source) and source[end] in "?+")
            continue
        if char == "\\" and i + 1 < len(source):
            follower = source[i + 1]
            pieces.append(None if follower.isalnum() else follower)
            i += 2
        elif char in "[(":
            i = _closing(source, i)
            if i < 0:
                return None
            pieces.append(None)
        elif char in "^$":
            i += 1
        else:
            pieces.append(None if char == "." else char)
            i += 1
    text = "".join("…" if p is None else p for p in pieces)
    outline = re.sub("…+", "…", text)
    return outline if outline.replace("…", "").strip() else None


def _closing(source: str, start: int) -> int:
    """The index after the `]` or `)` that closes the bracket at `start`; -1 when none does."""
    depth, i = 0, start
    in_class = False
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]" or i == start + 1
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if not in_class and depth == 0 and char in "])":
            return i + 1
        i += 1
    return -1
