"""Material content tabs: `=== "Linux"` and the indented blocks under it.

For Markdown without the tabbed extension, a tab is a paragraph (`=== "Linux"`) followed by an
indented code block that holds the tab's content. The content is parsed again, as a page of its
own placed at the code block's lines, so that a console block in a tab is a step like any
other, with its directives, at its own line. Consecutive tabs form one set; `===!` starts a
new set, and anything else between them ends it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from guiderunner.markdown import BlockToken

if TYPE_CHECKING:
    from guiderunner.model import Tab

HEADER = re.compile(r"""^===(?P<new>!)?\+?\s+(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)')\s*$""")
"""`=== "Title"`, `===+ "Title"` (selected) or `===! "Title"` (starts a new set)."""


@dataclass(frozen=True, slots=True)
class Header:
    """A tab's title line."""

    title: str
    """As written between the quotes."""
    new_set: bool
    """`===!`: this tab starts a set of its own."""


def header(tokens: Sequence[BlockToken], index: int) -> Header | None:
    r"""The tab header that the paragraph opening at `index` is, if it is one.

    >>> from guiderunner.markdown import block_tokens
    >>> header(block_tokens('=== "macOS"\n'), 0)
    Header(title='macOS', new_set=False)
    """
    if tokens[index].type != "paragraph_open" or index + 1 >= len(tokens):
        return None
    found = HEADER.match(tokens[index + 1].content.strip())
    if found is None:
        return None
    return Header(found["double"] or found["single"] or "", found["new"] is not None)


class TabSets:
    """Which set the next tab belongs to, walking a page's tokens in order."""

    def __init__(self) -> None:
        self._set: int | None = None
        self._waiting: Tab | None = None

    def opened(self, found: Header, line: int) -> None:
        """A header: its content (the next code block) belongs to it."""
        from guiderunner.model import Tab  # a page with content tabs builds it

        if self._set is None or found.new_set:
            self._set = line
        self._waiting = Tab(title=found.title, set_line=self._set)

    def content(self) -> Tab | None:
        """The tab a code block is the content of, or None when it is no tab's."""
        tab, self._waiting = self._waiting, None
        return tab

    def other(self) -> None:
        """Anything else: the set ends."""
        self._set = None
        self._waiting = None
