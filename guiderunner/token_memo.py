"""A page's block tokens kept between runs: a page read again unchanged skips markdown-it.

Importing markdown-it and building its parser is the largest part of a start (30-40 ms on a
busy 2-core machine), and a page is read again unchanged far more often than it changes: a
`runner verify` of a tree where most pages are cached still plans every page, and a failing
page is run again while its code, not its text, is mended. The tokens are still markdown-it's
(guiderunner.markdown stays the one reader): what `block_tokens` gave for this very text,
with this markdown-it, these plugins and this configuration, is given back.

One memo file per page (its resolved path's digest names it) holds the tokens of every text
read for that page (the page, and the insides of its tabs and hidden comments), by digest,
and only those the last read used: it does not grow as the page is edited.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.machinery import PathFinder
from pathlib import Path

from guiderunner import markdown
from guiderunner.digests import sha256
from guiderunner.markdown import BlockToken, block_tokens
from guiderunner.memo_file import read_memo, write_memo

Row = list[object]
"""One token as JSON keeps it: [type, map or null, content, info, markup]."""


class TokenMemo:
    """The kept tokens of one page: `tokens` reads through it, `save` keeps what was read."""

    def __init__(self, path: Path | None) -> None:
        """`path` is the memo file; None reads every text with markdown-it and keeps nothing."""
        self._reader = reader_key() if path is not None else ""
        self._path = path if self._reader else None
        kept = read_memo(self._path) if self._path is not None else {}
        texts = kept.get("texts") if kept.get("reader") == self._reader else None
        self._kept: dict[str, object] = texts if isinstance(texts, dict) else {}
        self._used: dict[str, list[Row]] = {}

    @classmethod
    def for_page(cls, folder: Path | None, page: Path) -> TokenMemo:
        """The memo of `page` in the runner's cache folder (None: keep nothing)."""
        if folder is None:
            return cls(None)
        name = sha256(str(page.resolve()).encode()).hexdigest()[:32]
        return cls(folder / f"tokens-{name}.json")

    def tokens(self, text: str) -> list[BlockToken]:
        """The block tokens of `text`: kept ones when this very text was read before."""
        digest = sha256(text.encode()).hexdigest()
        found = _tokens(self._kept.get(digest))
        if found is None:
            found = block_tokens(text)
        self._used[digest] = [[t.type, _listed(t.map), t.content, t.info, t.markup] for t in found]
        return found

    def save(self) -> None:
        """Keep the tokens of the texts read this time (nothing is written when none changed)."""
        if self._path is None or self._used == self._kept:
            return
        write_memo(self._path, {"reader": self._reader, "texts": self._used})


def reader_key() -> str:
    """Which reader reads, so that another version or configuration keeps no old tokens.

    guiderunner/markdown.py (where the reader is configured and its tokens' fields are
    said), and markdown-it's and the plugins' first files (they hold `__version__`), each by
    content and time; found without importing markdown-it: importing is what the memo saves.
    "" when one cannot be read: then nothing is kept.
    """
    origins: list[str | None] = [markdown.__file__]
    for package in ("markdown_it", "mdit_py_plugins"):
        spec = PathFinder.find_spec(package)  # on sys.path, without importing it
        origins.append(spec.origin if spec is not None else None)
    parts = []
    for origin in origins:
        if origin is None:
            return ""  # not installed where it can be found: parsed each time
        try:
            status, content = Path(origin).stat(), Path(origin).read_bytes()
        except OSError:
            return ""
        parts.append(f"{origin}:{status.st_mtime_ns}:{sha256(content).hexdigest()[:16]}")
    return "|".join(parts)


def _tokens(rows: object) -> list[BlockToken] | None:
    """Tokens from kept rows, or None when they are not exactly what `save` writes."""
    if not isinstance(rows, list):
        return None
    found = []
    for row in rows:
        if not (isinstance(row, list) and len(row) == 5):
            return None
        kind, where, content, info, markup = row
        if not all(isinstance(value, str) for value in (kind, content, info, markup)):
            return None
        span = _span(where)
        if span is None and where is not None:
            return None
        found.append(BlockToken(str(kind), span, str(content), str(info), str(markup)))
    return found


def _listed(where: tuple[int, int] | None) -> list[int] | None:
    """A `map` as JSON gives it back (a list), so that an unchanged memo compares equal."""
    return None if where is None else list(where)


def _span(where: object) -> tuple[int, int] | None:
    """A kept `map`: two integers, else None."""
    if not isinstance(where, Sequence) or isinstance(where, str) or len(where) != 2:
        return None
    first, end = where
    if type(first) is not int or type(end) is not int:
        return None
    return (first, end)
