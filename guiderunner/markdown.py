"""The one Markdown reader: markdown-it configured once, and the views of a page every stage uses.

Only this module imports markdown-it. The guide parser (guiderunner.parse) reads the block
structure; i18n reads prose (tables, admonitions, definition lists, front matter); the presenter
and the site read headings; the site and i18n find runner comments. All of them see the page
the same way, because they all read it here.

markdown-it is imported when a page is read, not when this module is: a page whose block
tokens are kept (guiderunner.token_memo) is planned without it.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = [
    "DIRECTIVE",
    "BlockToken",
    "Heading",
    "Token",  # for type checking only: markdown-it's, which the prose readers get
    "block_tokens",
    "directive_lines",
    "headings",
    "inline_tokens",
    "prose_tokens",
]

DIRECTIVE = re.compile(r"^\s*<!--\s*runner:(?P<body>.*)$", re.MULTILINE)
"""A runner comment's first line: `<!-- runner: ...`; `body` is the rest of that line."""


def __getattr__(name: str) -> object:
    """`Token` at run time too (markdown-it imported then): the module does not import it."""
    if name == "Token":
        from markdown_it.token import Token

        return Token
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _blocks() -> MarkdownIt:
    """The guide parser's reader, built on first use.

    It needs only the block structure (fences, HTML comments): inline parsing is skipped,
    which keeps long pages fast. Inline tokens still carry their source text. It knows
    admonitions, as the site does, so a fence inside one is found where the reader sees it.
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.admon import admon_plugin

    return MarkdownIt("commonmark").disable(["inline", "text_join"]).use(admon_plugin)


@functools.cache
def _prose() -> MarkdownIt:
    """Prose as the site renders it: the extensions mkdocs.yml turns on.

    Built on first use: `runner verify` reads only the block structure, and does not pay for
    this second parser and its plugins.
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.admon import admon_plugin
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    return (
        MarkdownIt("commonmark")
        .enable("table")
        .use(front_matter_plugin)
        .use(admon_plugin)
        .use(deflist_plugin)
    )


@dataclass(frozen=True, slots=True)
class BlockToken:
    """What the guide parser reads of one block token: plain values, so they can be kept."""

    type: str
    """markdown-it's token type: `fence`, `html_block`, `paragraph_open`, `inline`..."""
    map: tuple[int, int] | None
    """0-based [first, end) source lines, None for closing tokens."""
    content: str
    """The source text it holds (a fence's body, a comment, a paragraph's text)."""
    info: str
    """A fence's info string."""
    markup: str
    """A fence's opening characters (```` ``` ```` or `~~~`)."""


@dataclass(frozen=True, slots=True)
class Heading:
    """A Markdown heading of the page: the prose context of the steps under it."""

    line: int
    """1-based line of its text."""
    end: int
    """1-based last line (the underline of a setext heading)."""
    level: int
    """1 for `#`, up to 6."""
    title: str
    """Its text, as written (inline markup kept)."""


def block_tokens(text: str) -> list[BlockToken]:
    """The page's block tokens, without inline parsing: what the guide parser reads."""
    return [
        BlockToken(t.type, (t.map[0], t.map[1]) if t.map else None, t.content, t.info, t.markup)
        for t in _blocks().parse(text)
    ]


def prose_tokens(text: str) -> list[Token]:
    """The page's tokens with inline parsing and the site's extensions: what i18n reads."""
    return _prose().parse(text)


def inline_tokens(text: str) -> list[Token]:
    """The inline tokens of one line of Markdown (text, code, links, breaks)."""
    return _prose().parseInline(text)[0].children or []


def directive_lines(text: str) -> tuple[tuple[int, int], ...]:
    r"""0-based [start, end) line ranges of runner comments: directives and hidden blocks.

    >>> directive_lines("Text\n\n<!-- runner: skip=x -->\n```console\n$ true\n```\n")
    ((2, 3),)
    """
    return tuple(
        (token.map[0], token.map[1])
        for token in prose_tokens(text)
        if token.type == "html_block" and token.map and DIRECTIVE.match(token.content)
    )


def headings(text: str) -> tuple[Heading, ...]:
    r"""The page's ATX and setext headings, outside code fences and front matter.

    >>> [h.title for h in headings("# Title\n```\n# not a heading\n```\nSub\n---\n")]
    ['Title', 'Sub']
    """
    tokens = _prose().parse(text)
    return tuple(
        Heading(opener.map[0] + 1, opener.map[1], int(opener.tag[1:]), inline.content.strip())
        for opener, inline in itertools.pairwise(tokens)
        if opener.type == "heading_open" and opener.map is not None and inline.type == "inline"
    )
