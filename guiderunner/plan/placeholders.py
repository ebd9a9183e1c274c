"""`<name>` placeholders: filled from the settings; a forgotten one is an error, shell is not.

Outside quotes, `<name>` in a command is two redirections (`docker push <myorg>/app` would read
a file `myorg` and write one named `/app`), so a placeholder without a value stops the plan.
But angle brackets are also plain shell and plain text: inside quotes, in a comment, in a
heredoc's body (`<html>`), after `<<` (`cat <<EOF>out`), and as a redirection into a plain file
name (`sort <in>out`), they are left alone. The message names the line that holds the tag.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from guiderunner.errors import GuideError
from guiderunner.model import Span

PLACEHOLDER = re.compile(r"<([A-Za-z][\w.-]*(?::\d+)?)>")
_WORD_END = " \t\n;|&()"
_DELIMITER = re.compile(r"""<<(-?)[ \t]*((?:'[^'\n]*'|"[^"\n]*"|\\.|[^\s;|&<>()])+)""")
_REDIRECT_TARGET = re.compile(r"[A-Za-z0-9_]")

Fill = Callable[..., str]


def filler(span: Span, values: Mapping[str, str]) -> Fill:
    """Replace the placeholders that have a value; in a command, a forgotten one is an error."""

    def fill(text: str, *, command: bool = False) -> str:
        if "<" not in text:
            return text  # most lines: no placeholder to fill or to check
        if command:
            _check(span, text, values)
        return PLACEHOLDER.sub(lambda m: values[m[1]] if m[1] in values else m[0], text)

    return fill


def _check(span: Span, text: str, values: Mapping[str, str]) -> None:
    literal: list[tuple[int, int]] | None = None  # read only for a tag without a value
    for match in PLACEHOLDER.finditer(text):
        if match[1] in values:
            continue
        if literal is None:
            literal = literal_ranges(text)
        if _inside(literal, match.start()):
            continue
        if _is_redirection(text, match.start(), match.end()):
            continue
        line = span.start + text.count("\n", 0, match.start())
        raise GuideError(span.path, line, f"placeholder <{match[1]}> has no value")


def _inside(ranges: list[tuple[int, int]], position: int) -> bool:
    return any(start <= position < end for start, end in ranges)


def _is_redirection(text: str, start: int, end: int) -> bool:
    """`<in>out`: a word of its own, read from `in`, written to a plain file name.

    >>> _is_redirection("sort <in>out", 5, 9), _is_redirection("push <org>/x", 5, 10)
    (True, False)
    """
    before = text[start - 1] if start else " "
    if before == "<":
        return True  # `<<EOF>out`: a heredoc's operator
    after = text[end : end + 1]
    return before in _WORD_END and bool(_REDIRECT_TARGET.match(after))


def literal_ranges(text: str) -> list[tuple[int, int]]:
    r"""[start, end) ranges of `text` the shell reads as text: quotes, comments, heredoc bodies.

    >>> t = "cat <<'EOF' # note\n<b>\nEOF\necho '<i>'"
    >>> [t[a:b] for a, b in literal_ranges(t)]
    ['# note', '<b>\n', "'<i>'"]
    """
    ranges: list[tuple[int, int]] = []
    pending: list[tuple[str, bool]] = []
    i, n, word_start = 0, len(text), True
    while i < n:
        char = text[i]
        if char == "\\":
            i, word_start = i + 2, False
        elif char in "'\"":
            end = _quote_end(text, i)
            ranges.append((i, end))
            i, word_start = end, False
        elif char == "#" and word_start:
            end = text.find("\n", i)
            end = n if end < 0 else end
            ranges.append((i, end))
            i = end
        elif text.startswith("<<<", i):
            i, word_start = i + 3, True
        elif (heredoc := _DELIMITER.match(text, i)) is not None:
            pending.append((re.sub(r"""['"\\]""", "", heredoc[2]), heredoc[1] == "-"))
            i, word_start = heredoc.end(), False
        elif char == "\n" and pending:
            i = _bodies(text, i + 1, pending, ranges)
            pending, word_start = [], True
        else:
            i, word_start = i + 1, char in _WORD_END
    return ranges


def _quote_end(text: str, start: int) -> int:
    quote, i = text[start], start + 1
    while i < len(text) and text[i] != quote:
        i += 2 if quote == '"' and text[i] == "\\" else 1
    return min(i + 1, len(text))


def _bodies(
    text: str, i: int, pending: list[tuple[str, bool]], ranges: list[tuple[int, int]]
) -> int:
    """Skip the bodies of the heredocs opened on the line before; return where code resumes."""
    for delimiter, strip_tabs in pending:
        start = i
        while i < len(text):
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            line = text[i:end].lstrip("\t") if strip_tabs else text[i:end]
            if line == delimiter:
                ranges.append((start, i))
                i = end + 1
                break
            i = end + 1
        else:
            ranges.append((start, len(text)))
    return i
