"""Markdown -> Guide: the executable blocks of a page, their directives and stop marks.

Which fences run is `guiderunner.parse.fences`; what a runner comment's words mean is
`guiderunner.parse.options`; here, the page is walked and comments are tied to their blocks.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from guiderunner.errors import GuideError
from guiderunner.markdown import DIRECTIVE, BlockToken, block_tokens
from guiderunner.model import Block, Guide, Span

if TYPE_CHECKING:
    from guiderunner.model import Notice, StopMark, Variant
from guiderunner.parse.fences import FENCE_LINE, fence_block, reject_indented_block
from guiderunner.parse.options import block_options, options_of, split_words, stop_name
from guiderunner.parse.tabs import TabSets, header

CONTENT_TOKENS = frozenset(
    {
        "fence",
        "code_block",
        "html_block",
        "paragraph_open",
        "heading_open",
        "hr",
        "bullet_list_open",
        "ordered_list_open",
        "blockquote_open",
        "table_open",
    }
)


@functools.cache
def _when() -> re.Pattern[str]:
    """A `runner: when` comment's first line (compiled at a page's first runner comment)."""
    return re.compile(r"^\s*<!--\s*runner:\s*when(?:\s+(?P<facts>.*))?$", re.MULTILINE)


Reader = Callable[[str], Sequence[BlockToken]]
"""Markdown text -> its block tokens: `block_tokens`, or a memo of it (guiderunner.token_memo)."""


def parse_guide(path: str, text: str, read: Reader = block_tokens) -> Guide:
    """Parse one page; raises GuideError at the first mistake, naming its line.

    A UTF-8 byte order mark (editors on Windows write one) is not part of line 1: a fence or
    a directive there is one, as the site's Markdown reads it. Every text of the page (its
    tabs' and hidden comments' insides too) is read by `read`.
    """
    text = text.removeprefix("\ufeff")
    notices: list[Notice] = []
    items = tuple(_items(path, read(text), 0, notices, read))
    return Guide(path=path, items=items, notices=tuple(notices))


class _Pending:
    """What waits for the next block: a directive's options, and `when` comments."""

    def __init__(self) -> None:
        self.options: tuple[Span, dict[str, str]] | None = None
        self.variants: list[Variant] = []

    def __bool__(self) -> bool:
        return self.options is not None or bool(self.variants)

    def attach(self, path: str, block: Block | None) -> Block:
        if self.variants and (block is None or block.kind != "console"):
            where = self.variants[0].span.start
            raise GuideError(path, where, "a `when` comment must stand just before a console block")
        if self.options is not None:
            block = _attach(path, block, self.options)
        assert block is not None
        return replace(block, variants=tuple(self.variants))

    def first_line(self) -> int:
        return self.options[0].start if self.options else self.variants[0].span.start


def _items(
    path: str, tokens: Sequence[BlockToken], line_offset: int, notices: list[Notice], read: Reader
) -> Iterator[Block | StopMark]:
    pending = _Pending()
    tabs = TabSets()
    for index, token in enumerate(tokens):
        if token.type not in CONTENT_TOKENS or token.map is None:
            continue
        span = Span(path, token.map[0] + 1 + line_offset, token.map[1] + line_offset)
        opened = None if pending else header(tokens, index)
        if opened is not None:
            tabs.opened(opened, span.start)
            continue
        tab = tabs.content() if token.type == "code_block" and not pending else None
        if tab is not None:
            inner = _items(path, read(token.content), span.start - 1, notices, read)
            yield from (replace(i, tab=tab) if isinstance(i, Block) else i for i in inner)
            continue
        tabs.other()
        directive = token.type == "html_block" and DIRECTIVE.match(token.content)
        if directive and _when().match(token.content):
            pending.variants.append(_variant(path, token, span, read))
            continue
        if directive and pending.options is None:
            found, pending.options = _directive(path, token, span, notices, read)
            if found and pending.variants:
                yield pending.attach(path, None)  # a `when` before a hidden block or a stop
            yield from found
            continue
        if pending:
            fence = token.type == "fence"
            block = fence_block(path, token, span, notices) if fence else None
            yield pending.attach(path, block)
            pending = _Pending()
            continue
        if token.type == "fence":
            block = fence_block(path, token, span, notices)
            if block is not None:
                yield block
        elif token.type == "code_block":
            reject_indented_block(path, token, span)
    if pending:
        raise GuideError(
            path, pending.first_line(), "directive at the end of the page has no block"
        )


def _comment_lines(path: str, token: BlockToken, span: Span) -> tuple[list[str], int]:
    """The comment's lines, and the index of the one that holds `-->`."""
    raw = token.content.rstrip("\n").split("\n")
    close = next((i for i, line in enumerate(raw) if "-->" in line), None)
    if close is None:
        raise GuideError(path, span.start, "runner comment is never closed with -->")
    return raw, close


def _inner_blocks(
    path: str,
    raw: list[str],
    fence_at: int,
    close: int,
    span: Span,
    *,
    notices: list[Notice],
    read: Reader,
) -> list[Block]:
    """The blocks a hidden or `when` comment holds, with their lines on the page."""
    if raw[close].strip() != "-->":
        raise GuideError(path, span.start, "a hidden directive ends with a line of its own: `-->`")
    inner_text = "\n".join(raw[fence_at:close]) + "\n"
    found = _items(path, read(inner_text), span.start - 1 + fence_at, notices, read)
    return [item for item in found if isinstance(item, Block)]


def _variant(path: str, token: BlockToken, span: Span, read: Reader) -> Variant:
    """A `runner: when KEY=VALUE` comment and the console block it holds."""
    raw, close = _comment_lines(path, token, span)
    fence_at = next((i for i, line in enumerate(raw[1:close], 1) if FENCE_LINE.match(line)), None)
    head = _when().match(raw[0])
    assert head is not None
    text = " ".join([head["facts"] or "", *raw[1 : fence_at or close + 1]]).replace("-->", " ")
    facts = tuple(_fact(path, span.start, word) for word in split_words(path, span.start, text))
    if not facts:
        raise GuideError(path, span.start, "`when` wants KEY=VALUE facts (`when builder=legacy`)")
    if fence_at is None:
        raise GuideError(path, span.start, "a `when` comment holds a console block")
    blocks = _inner_blocks(path, raw, fence_at, close, span, notices=[], read=read)
    if len(blocks) != 1 or blocks[0].kind != "console":
        raise GuideError(path, span.start, "a `when` comment holds one console block")
    from guiderunner.model import Variant  # a page with `when` comments builds it

    return Variant(span=span, fence=blocks[0].span.start, facts=facts, body=blocks[0].body)


def _fact(path: str, line: int, word: str) -> tuple[str, str]:
    key, equals, value = word.partition("=")
    if not (equals and key and value):
        raise GuideError(path, line, f"`when` wants KEY=VALUE, got {word!r}")
    return key, value


def _directive(
    path: str, token: BlockToken, span: Span, notices: list[Notice], read: Reader
) -> tuple[list[Block | StopMark], tuple[Span, dict[str, str]] | None]:
    """Return the stop mark or hidden blocks it holds, or the options awaiting the next block."""
    raw, close = _comment_lines(path, token, span)
    head = DIRECTIVE.match(raw[0])
    assert head is not None
    fence_at = next((i for i, line in enumerate(raw[1:close], 1) if FENCE_LINE.match(line)), None)
    option_lines = [head["body"], *raw[1 : fence_at if fence_at is not None else close + 1]]
    options = options_of(path, span.start, " ".join(option_lines).replace("-->", " "))
    if "stop" in options:
        from guiderunner.model import StopMark  # a page with services builds it

        return [StopMark(span, stop_name(path, span.start, options))], None
    if "hidden" not in options:
        if fence_at is not None:
            raise GuideError(
                path, span.start + fence_at, "a block inside a runner comment needs `hidden`"
            )
        return [], (span, options)
    if fence_at is None:
        raise GuideError(path, span.start, "a hidden directive ends with a line of its own: `-->`")
    blocks = [
        replace(item, hidden=True, options=block_options(path, item, options, span))
        for item in _inner_blocks(path, raw, fence_at, close, span, notices=notices, read=read)
    ]
    if not blocks:
        raise GuideError(path, span.start, "hidden directive holds no console or titled block")
    return list(blocks), None


def _attach(path: str, block: Block | None, pending: tuple[Span, dict[str, str]]) -> Block:
    if block is None:
        raise GuideError(
            path, pending[0].start, "a directive must stand just before a console or titled block"
        )
    return replace(block, options=block_options(path, block, pending[1], pending[0]))
