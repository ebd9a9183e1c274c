"""A page's prose as a terminal shows it: headings, wrapped paragraphs, lists, code kept.

A projector cannot show HTML, and raw Markdown distracts (`**`, `[text](url)`), so the prose
before a step is rendered to plain lines: a heading is a line of its own without its `#`s,
paragraphs are wrapped to the terminal's width, inline code keeps its backticks (a room must
see what is typed), links keep their text, runner comments and other HTML are left out, as the
site leaves them out.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from guiderunner.markdown import prose_tokens

if TYPE_CHECKING:
    from guiderunner.markdown import Token

INDENT = "  "


@dataclass(frozen=True, slots=True)
class Line:
    """One rendered line, and whether it is a heading (shown bold)."""

    text: str
    """The line, no longer than the width asked for."""
    heading: bool = False
    """A heading's line."""


def render(markdown: str, width: int) -> tuple[Line, ...]:
    r"""Markdown prose -> lines no wider than `width`, one blank line between blocks.

    >>> [line.text for line in render("## Build\n\nRun `make` in\nthe [root](x).\n\n- one\n", 30)]
    ['Build', '', 'Run `make` in the root.', '', '- one']
    """
    lines: list[Line] = []
    for block, tight in _blocks(prose_tokens(markdown), max(width, 20)):
        if lines and not tight:
            lines.append(Line(""))
        lines.extend(block)
    return tuple(lines)


def inline_text(token: Token) -> str:
    """An inline token's text: code keeps its backticks, links their text, breaks a space."""
    parts = []
    for child in token.children or []:
        if child.type == "code_inline":
            parts.append(f"`{child.content}`")
        elif child.type in ("text", "html_inline"):
            parts.append(child.content if child.type == "text" else "")
        elif child.type == "image":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _blocks(tokens: Sequence[Token], width: int) -> Iterator[tuple[list[Line], bool]]:
    """The lines of each block (heading, paragraph, list item, code...), and whether it is tight.

    Tight: it follows the block before without a blank line (items of a list, rows of a table).
    """
    prefix: list[str] = []  # what stands before a block's lines: list marks, quote marks
    numbers: list[int | None] = []
    for index, token in enumerate(tokens):
        kind = token.type
        before = tokens[index - 1].type if index else ""
        if kind in ("bullet_list_open", "ordered_list_open"):
            numbers.append(int(token.attrGet("start") or 1) if kind[0] == "o" else None)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            numbers.pop()
        elif kind == "list_item_open":
            prefix.append(_item_mark(numbers))
        elif kind in ("list_item_close", "blockquote_close", "admonition_close"):
            prefix.pop()
        elif kind == "blockquote_open":
            prefix.append("> ")
        elif kind == "admonition_open":
            title = str(token.meta.get("tag", "note")).capitalize()
            yield [Line(f"{title}: {token.content}".strip()[:width], heading=True)], False
            prefix.append(INDENT)
        elif kind == "tr_open":
            yield _wrapped(" | ".join(_cells(tokens, index)), width, prefix), before != "thead_open"
        elif kind == "inline" and before not in ("th_open", "td_open", "admonition_title_open"):
            text = inline_text(token)
            if text:
                heading = before == "heading_open"
                lines = [Line(t.text, heading) for t in _wrapped(text, width, prefix)]
                yield lines, _next_item(tokens, index)
        elif kind in ("fence", "code_block"):
            body = token.content.rstrip("\n").split("\n")
            yield [Line((INDENT + line)[:width]) for line in body], False


def _next_item(tokens: Sequence[Token], index: int) -> bool:
    """Is the inline token at `index` the first line of a list item after another item?"""
    kinds = [t.type for t in tokens[max(index - 3, 0) : index]]
    return kinds[-2:] == ["list_item_open", "paragraph_open"] and kinds[0] in (
        "list_item_close",
        "paragraph_close",
    )


def _item_mark(numbers: list[int | None]) -> str:
    """`- ` or `3. ` for the next item of the innermost list."""
    if not numbers or numbers[-1] is None:
        return "- "
    number = numbers[-1]
    assert number is not None
    numbers[-1] = number + 1
    return f"{number}. "


def _wrapped(text: str, width: int, prefix: list[str]) -> list[Line]:
    """`text` wrapped under the marks of the lists and quotes it stands in."""
    first = "".join(prefix)
    rest = "".join(" " * len(p) if not p.startswith(">") else p for p in prefix)
    wrapped = textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest)
    for index, mark in enumerate(prefix):  # a list mark is shown once, on the item's first line
        if mark and not mark.startswith(">"):
            prefix[index] = " " * len(mark)
    return [Line(line) for line in wrapped]


def _cells(tokens: Sequence[Token], row: int) -> list[str]:
    """The text of the cells of the table row opened at `row`."""
    cells = []
    for token in tokens[row + 1 :]:
        if token.type == "tr_close":
            break
        if token.type == "inline":
            cells.append(inline_text(token))
    return cells
