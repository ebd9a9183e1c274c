r"""Diff lines a reader can act on: invisible characters shown, the first difference pointed at.

A tab and spaces, NFD and NFC, a BEL, a no-break space look the same on a terminal, so every
diff line shows them as escapes (`\t`, `\x07`, `\u00a0`, `\u0301`). Under each changed actual
line, a `?` line puts a caret under the first differing column and names it. A line longer
than `LIMIT` is shown as a window around that column, cut with `…`.

>>> render(["@@ -1 +1 @@", "-a\tb", "+a    b"])
['@@ -1 +1 @@', '-a\\tb', '+a    b', '? ^ column 2']
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence

LIMIT = 100
"""Longest line shown whole, in characters as shown."""
BEFORE = 30
"""Characters kept before the first difference when a long line is cut."""
AFTER = 50
"""Characters kept after it."""
CUT = "…"
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Zs", "Co", "Cn"})
_COMBINING = frozenset({"Mn", "Me"})


def visible(text: str) -> str:
    r"""The text with its invisible characters as escapes; combining marks too when not NFC.

    >>> visible("a\tb\x07c\u00a0d"), visible("e\u0301"), visible("\u00e9")
    ('a\\tb\\x07c\\u00a0d', 'e\\u0301', 'é')
    """
    marks = not unicodedata.is_normalized("NFC", text)
    return "".join(_shown(char, marks=marks) for char in text)


def _shown(char: str, *, marks: bool) -> str:
    if char == " " or char.isalnum():
        return char
    if char == "\t":
        return "\\t"
    category = unicodedata.category(char)
    if category in _INVISIBLE or (marks and category in _COMBINING):
        code = ord(char)
        return f"\\x{code:02x}" if category == "Cc" else f"\\u{code:04x}"
    return char


def width(text: str) -> int:
    """Terminal columns the text takes (wide East Asian characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def first_difference(one: str, other: str) -> int:
    """Index of the first character where the two differ (the shorter length if one is a prefix).

    >>> first_difference("abc", "abd"), first_difference("ab", "abc")
    (2, 2)
    """
    return next(
        (i for i, (a, b) in enumerate(zip(one, other, strict=False)) if a != b),
        min(len(one), len(other)),
    )


def clipped(text: str, at: int = 0) -> tuple[str, int]:
    """The line as shown (a window around `at` when long), and the column of `at` in it."""
    shown = visible(text)
    if len(shown) <= LIMIT:
        return shown, width(visible(text[:at]))
    start = max(0, at - BEFORE)
    end = min(len(text), max(at + AFTER, LIMIT))
    head = CUT if start else ""
    tail = f"{CUT} ({len(text)} characters)" if end < len(text) else ""
    return head + visible(text[start:end]) + tail, width(head + visible(text[start:at]))


def render(diff: Sequence[str]) -> list[str]:
    """A unified diff's lines made visible, with a caret line under each changed actual line."""
    out: list[str] = []
    lines = list(diff)
    i, in_hunk = 0, False
    while i < len(lines):
        line = lines[i]
        in_hunk = in_hunk or line.startswith("@@")
        if not in_hunk or line.startswith("@@") or line[:1] not in "-+":
            out.append(_plain(line) if in_hunk and not line.startswith("@@") else line)
            i += 1
            continue
        removed = _run(lines, i, "-")
        added = _run(lines, i + len(removed), "+")
        out.extend(_changed(removed, added))
        i += len(removed) + len(added)
    return out


def _plain(line: str) -> str:
    shown, _ = clipped(line[1:])
    return line[:1] + shown


def _run(lines: list[str], start: int, mark: str) -> list[str]:
    run: list[str] = []
    while start + len(run) < len(lines) and lines[start + len(run)].startswith(mark):
        run.append(lines[start + len(run)][1:])
    return run


def _changed(removed: list[str], added: list[str]) -> Iterator[str]:
    """Removed lines, then added ones; each added line that replaces one gets its caret line."""
    columns = [
        first_difference(removed[k], added[k]) if k < len(removed) else 0 for k in range(len(added))
    ]
    for k, line in enumerate(removed):
        at = first_difference(line, added[k]) if k < len(added) else 0
        yield "-" + clipped(line, at)[0]
    for k, line in enumerate(added):
        shown, column = clipped(line, columns[k])
        yield "+" + shown
        if k < len(removed):
            yield "?" + " " * column + f"^ column {columns[k] + 1}"
