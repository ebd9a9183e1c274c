"""Every type the translation stages pass around: segments, catalog entries, findings. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SegmentKind = Literal["heading", "paragraph", "term", "cell", "title"]


@dataclass(frozen=True, slots=True)
class Segment:
    """One translatable piece of an English page and where it sits, so it can be replaced."""

    kind: SegmentKind
    """What it is; the catalog tells translators (a heading, a table cell...)."""
    text: str
    """The message: its Markdown source, lines joined, inline code and links kept."""
    line: int
    """1-based line of the page where it starts."""
    start: int
    """Offset in the page of its first character."""
    end: int
    """Offset in the page just past it; equal to `start` for an inserted title."""
    indent: str = ""
    """What goes after each line break of a translation (list, quote or admonition indent)."""
    anchor: str | None = None
    """Headings: the English id, kept on the translated heading as `{#id}`."""
    implicit: bool = False
    """An admonition's default title: absent from the source, inserted only when translated."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One message of a catalog, as the PO file holds it."""

    msgid: str
    """The English text."""
    msgstr: str = ""
    """The translation; empty while untranslated."""
    fuzzy: bool = False
    """The English changed since the translation was written: it needs review."""
    obsolete: bool = False
    """No longer on the page; kept so that no translation is ever lost."""
    previous: str | None = None
    """For a fuzzy entry, the English it was translated from (`#| msgid`)."""
    occurrences: tuple[str, ...] = ()
    """Where it appears, as `page.md:LINE`."""
    note: str = ""
    """Extracted comment for translators (`#.`): the kind of segment."""
    comment: str = ""
    """The translator's own comment (`#`)."""
    line: int = 0
    """Line of its `msgstr` in the PO file, 0 when not read from a file."""

    @property
    def translated(self) -> bool:
        """True when it has a translation that needs no review."""
        return bool(self.msgstr) and not self.fuzzy and not self.obsolete


@dataclass(frozen=True, slots=True)
class Catalog:
    """The translations of one page into one language."""

    header: tuple[tuple[str, str], ...]
    """PO metadata, in order."""
    entries: tuple[Entry, ...]
    """Active entries in page order, then obsolete ones."""

    @property
    def active(self) -> tuple[Entry, ...]:
        """The entries still on the page."""
        return tuple(e for e in self.entries if not e.obsolete)


@dataclass(frozen=True, slots=True)
class Term:
    """A glossary rule: an English word that must be rendered one of a few ways."""

    english: tuple[str, ...]
    """Forms of the English word (singular, plural)."""
    french: tuple[str, ...]
    """Accepted renderings; one must appear in the translation. `word*` stands for any ending."""
    avoid: tuple[str, ...] = ()
    """Renderings ruled out for this term (a second rendering is how pages drift)."""
    reserved: bool = False
    """On a page that uses the term, its French renderings stand for it and nothing else."""
    note: str = ""
    """Why this rendering: shown with the findings about the term."""
    pages: tuple[str, ...] = ()
    """The pages (relative to the docs folder) it applies to; empty for every page."""


@dataclass(frozen=True, slots=True)
class Glossary:
    """What translations must keep, use and avoid."""

    protected: tuple[str, ...] = ()
    """Names that stay as they are (Docker, Dockerfile, Kubernetes...)."""
    terms: tuple[Term, ...] = ()
    """Required renderings."""
    forbidden: tuple[tuple[str, str], ...] = ()
    """Words never to use, each with the reason shown to the translator."""

    def for_page(self, page: str) -> Glossary:
        """The rules of one page: terms limited to other pages left out.

        >>> Glossary(terms=(Term(("step",), ("instruction",), pages=("a.md",)),)).for_page("b.md")
        Glossary(protected=(), terms=(), forbidden=())
        """
        terms = tuple(t for t in self.terms if not t.pages or page in t.pages)
        return Glossary(self.protected, terms, self.forbidden)


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found in a catalog or a page, pointing at a line."""

    path: str
    """The PO file or the page."""
    line: int
    """1-based line."""
    message: str
    """One terse line."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class PageStats:
    """How far the translation of one page has come."""

    page: str
    """The page, relative to the docs folder."""
    total: int
    """Messages on the page."""
    translated: int
    """Translated and reviewed."""
    fuzzy: int
    """Translated, but the English changed since."""

    @property
    def untranslated(self) -> int:
        """Messages with no translation at all."""
        return self.total - self.translated - self.fuzzy

    @property
    def percent(self) -> float:
        """Share of translated messages, 100 for a page with nothing to translate."""
        return 100.0 * self.translated / self.total if self.total else 100.0
