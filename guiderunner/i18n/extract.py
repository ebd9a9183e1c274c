"""Markdown -> translatable segments: the prose of a page, read through guiderunner.markdown.

Only prose is extracted: headings, paragraphs (in lists, quotes, admonitions and definition
lists too), definition terms, table cells and admonition titles. Code blocks, HTML blocks (so
runner directives and hidden blocks), front matter and link definitions are never messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, MutableSet, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from guiderunner.i18n.model import Segment, SegmentKind
from guiderunner.i18n.slug import slugify, unique
from guiderunner.markdown import inline_tokens, prose_tokens

if TYPE_CHECKING:
    from guiderunner.markdown import Token

ADMONITION = re.compile(
    r'^(?P<head>\s*(?:!!!|\?\?\?\+?) ?(?P<types>[\w-]+(?: +[\w-]+)*))(?: +"(?P<title>.*?)")? *$'
)
TAB_TITLE = re.compile(r'^(?P<head>\s*===[!+]* +)"(?P<title>[^"\n]*)" *$')
"""A content tab's opening line (pymdownx.tabbed): only its quoted title is prose."""
ATX_OPENING = re.compile(r"^\s*#{1,6}(?:[ \t]+|$)")
HEADING_ATTRIBUTES = re.compile(r"[ ]+\{:?([^}\n]*)\}[ ]*$")
ID_ATTRIBUTE = re.compile(r"(?:^|\s)#([\w-]+)")
NOT_PROSE = re.compile(r"(`+).+?\1|<[^>]*>|\]\([^)]*\)|https?://\S+")
LETTER = re.compile(r"[^\W\d_]")

BLOCK_KINDS: dict[str, SegmentKind] = {"paragraph_open": "paragraph", "dt_open": "term"}
"""Openers whose inline content spreads over whole lines, and the segment kind each gives."""


@dataclass(frozen=True, slots=True)
class _Source:
    """A page split into lines, with the offset where each one starts."""

    text: str
    lines: tuple[str, ...]
    offsets: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> _Source:
        lines = text.split("\n")
        offsets, position = [], 0
        for line in lines:
            offsets.append(position)
            position += len(line) + 1
        return cls(text, tuple(lines), tuple(offsets))


def extract_segments(text: str) -> tuple[Segment, ...]:
    """The translatable segments of a page (newlines already normalised), in page order."""
    source = _Source.of(text)
    tokens = prose_tokens(text)
    used_ids = _explicit_ids(tokens)
    found: list[Segment | None] = []
    for index, token in enumerate(tokens):
        opener = tokens[index - 1] if index else None
        if token.type == "inline" and token.map is not None and opener is not None:
            if opener.type == "heading_open":
                found.append(_heading(source, opener, token, used_ids))
            elif opener.type == "paragraph_open" and TAB_TITLE.match(token.content):
                found.append(_tab_title(source, token))
            elif opener.type in BLOCK_KINDS:
                found.append(_block(source, BLOCK_KINDS[opener.type], token))
        elif token.type == "tr_open" and token.map is not None:
            found.extend(_cells(source, token.map[0], _row(tokens, index)))
        elif token.type == "admonition_open" and token.map is not None:
            found.append(_title(source, token.map[0]))
    segments = (s for s in found if s is not None and _has_words(s.text))
    return tuple(sorted(segments, key=lambda s: s.start))


def message_text(content: str) -> str:
    r"""A message from an inline's source lines: joined by spaces, hard breaks kept.

    >>> message_text("one\n   two  \nthree")
    'one two  \nthree'
    """
    parts = content.split("\n")
    pieces = []
    for number, part in enumerate(parts, 1):
        stripped = part.strip()
        if number == len(parts):
            pieces.append(stripped)
        elif part.endswith("  "):
            pieces.append(stripped + "  \n")
        elif stripped.endswith("\\"):
            pieces.append(stripped + "\n")
        else:
            pieces.append(stripped + " ")
    return "".join(pieces)


def _has_words(text: str) -> bool:
    """False for text that is only code, URLs or numbers: nothing to translate."""
    return LETTER.search(NOT_PROSE.sub(" ", text)) is not None


def _block(source: _Source, kind: SegmentKind, inline: Token) -> Segment | None:
    assert inline.map is not None
    lines = inline.content.split("\n")
    first = inline.map[0]
    return _spread(source, kind, first, first + len(lines) - 1, inline.content)


def _spread(
    source: _Source, kind: SegmentKind, first: int, last: int, content: str
) -> Segment | None:
    """A segment over whole lines; None when the source does not line up with the content."""
    lines = content.split("\n")
    if last >= len(source.lines):
        return None
    head, tail = source.lines[first].rstrip(), source.lines[last].rstrip()
    opening, closing = lines[0].strip(), lines[-1].strip()
    if not (opening and head.endswith(opening) and tail.endswith(closing)):
        return None
    column = len(head) - len(opening)
    indent = re.sub(r"[^>\s]", " ", source.lines[first][:column])
    start = source.offsets[first] + column
    end = source.offsets[last] + len(tail)
    return Segment(kind, message_text(content), first + 1, start, end, indent=indent)


def _heading(
    source: _Source, opener: Token, inline: Token, used_ids: MutableSet[str]
) -> Segment | None:
    """A heading's segment; every heading reserves its id, as `toc` does, even untranslated."""
    assert inline.map is not None
    attributes = HEADING_ATTRIBUTES.search(inline.content)
    text = inline.content[: attributes.start()] if attributes else inline.content
    anchor = None if attributes else unique(slugify(plain_text(text)), used_ids)
    first = inline.map[0]
    if opener.markup in ("=", "-"):
        segment = _spread(source, "heading", first, inline.map[1] - 2, text)
        return None if segment is None else replace(segment, anchor=anchor)
    line = source.lines[first]
    opening = ATX_OPENING.match(line)
    column = line.find(text, opening.end()) if opening else -1
    if column < 0 or not text:
        return None
    start = source.offsets[first] + column
    return Segment("heading", text, first + 1, start, start + len(text), anchor=anchor)


def plain_text(markdown: str) -> str:
    """A heading's text as `toc` sees it once rendered: markup, images and HTML dropped.

    >>> plain_text("The `build` stage, *line* by [line](#x)")
    'The build stage, line by line'
    """
    children = inline_tokens(markdown)
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _explicit_ids(tokens: Sequence[Token]) -> set[str]:
    """Ids given with `{#id}` on headings: `toc` reserves them before numbering the others."""
    ids = set()
    for index, token in enumerate(tokens):
        if token.type == "inline" and index and tokens[index - 1].type == "heading_open":
            attributes = HEADING_ATTRIBUTES.search(token.content)
            found = ID_ATTRIBUTE.search(attributes[1]) if attributes else None
            if found:
                ids.add(found[1])
    return ids


def _row(tokens: Sequence[Token], index: int) -> Iterator[Token]:
    """The cells' inline tokens of the table row opening at `index`."""
    for token in tokens[index + 1 :]:
        if token.type == "tr_close":
            return
        if token.type == "inline":
            yield token


def _cells(source: _Source, line: int, cells: Iterator[Token]) -> Iterator[Segment]:
    """Find each cell in its row's line, left to right."""
    row, cursor = source.lines[line], 0
    for cell in cells:
        if not cell.content:
            continue
        column = row.find(cell.content, cursor)
        if column < 0:
            return
        cursor = column + len(cell.content)
        start = source.offsets[line] + column
        yield Segment("cell", cell.content, line + 1, start, start + len(cell.content))


def _tab_title(source: _Source, inline: Token) -> Segment | None:
    """A content tab's title (`=== "Linux"`): the quotes and the `===` stay as they are.

    Markdown without the tabbed extension reads the line as a paragraph; translating it whole
    would put French quotes where the extension needs straight ones.
    """
    assert inline.map is not None
    line = inline.map[0]
    found = TAB_TITLE.match(source.lines[line])
    if found is None:
        return None
    start, end = (source.offsets[line] + found.span("title")[i] for i in (0, 1))
    return Segment("title", found["title"], line + 1, start, end)


def _title(source: _Source, line: int) -> Segment | None:
    """An admonition's title; a default one ("Note") becomes an insertion point."""
    found = ADMONITION.match(source.lines[line])
    if found is None or found["title"] == "":
        return None
    if found["title"] is not None:
        start, end = (source.offsets[line] + found.span("title")[i] for i in (0, 1))
        return Segment("title", found["title"], line + 1, start, end)
    default = found["types"].split()[0].capitalize()
    at = source.offsets[line] + found.end("head")
    return Segment("title", default, line + 1, at, at, implicit=True)
