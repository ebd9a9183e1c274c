"""Where a project keeps its pages and translations, and its French pages built from them.

Pure i18n functions (extract, update, apply, check) take text; this module reads and writes
the files: the layout of mkdocs.yml's project, and build/docs/<lang>/.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from guiderunner.errors import UsageError
from guiderunner.i18n.apply import translate_page, usable_translations
from guiderunner.i18n.catalog import read_catalog
from guiderunner.i18n.extract import extract_segments
from guiderunner.i18n.merge import messages
from guiderunner.i18n.model import Entry
from guiderunner.settings import find_config, load_settings, load_yaml

CATALOG_COMMENT = (
    "{language} translation of {page}. Run `runner i18n update` after editing the page."
)
NAMES = {"fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese"}
"""Language names in the catalogs' first comment; other codes show as themselves."""


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a project keeps its pages, translations and build output."""

    config: Path
    """mkdocs.yml."""
    docs: Path
    """The English pages."""
    translations: Path
    """translations/<lang>/: one PO file per page, glossary.yml, site.yml."""
    build: Path
    """Generated files: build/docs/<lang>/ pages and build/mkdocs.<lang>.yml configs."""
    site: Path
    """The published site."""
    language: str | None = None
    """The translation's language code (runner setting `translations`); None: no translation."""
    name: str = "PACKAGE"
    """The site's name (mkdocs.yml `site_name`): the catalogs' `Project-Id-Version`."""

    def catalog(self, page: str) -> Path:
        """The PO file of a page given relative to the docs folder."""
        return self.translations / Path(page).with_suffix(".po")

    def pages(self) -> list[str]:
        """Every page, relative to the docs folder, in a stable order."""
        return sorted(p.relative_to(self.docs).as_posix() for p in self.docs.rglob("*.md"))


def translated_pages(config: Path, english: Sequence[Path], docs: Path) -> list[Path]:
    """Build the French pages and return those of the given English pages, in the same order."""
    out = translate_docs(layout(config))
    pages = []
    for page in english:
        try:
            pages.append(out / page.resolve().relative_to(docs.resolve()))
        except ValueError:
            raise UsageError(f"{page} is not a page of {docs}: it has no translation") from None
    return pages


def translate_docs(layout: Layout) -> Path:
    """Write build/docs/<lang>/: every page translated, every other file copied.

    Each file is replaced whole (written aside, then renamed) and only files the docs no
    longer have are removed, so that two runs at once (two shards of `--lang all` on one
    machine) never see a page missing or half written.
    """
    out = layout.build / "docs" / (layout.language or "none")
    written: set[Path] = set()
    for source in sorted(layout.docs.rglob("*")):
        target = out / source.relative_to(layout.docs)
        if source.is_dir():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        written.add(target)
        if source.suffix != ".md":
            _replace(target, source)
            continue
        page = source.relative_to(layout.docs).as_posix()
        path = layout.catalog(page)
        if not path.is_file():
            print(
                f"runner: {page}: not translated yet: its {layout.language} page stays in English",
                file=sys.stderr,
            )
        catalog = read_catalog(path) if path.is_file() else None
        text = read(source)
        translated = translate_page(text, extract_segments(text), usable_translations(catalog))
        _replace(target, translated)
    for stale in [p for p in out.rglob("*") if p.is_file() and p not in written]:
        if not stale.name.startswith(ASIDE):  # another run's file being written
            stale.unlink(missing_ok=True)
    return out


ASIDE = ".writing-"


def _replace(target: Path, content: str | Path) -> None:
    """Write `content` (text, or a file to copy) beside `target`, then rename it over `target`.

    Readers see the old file or the new one, never a missing or half-written one.
    """
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=ASIDE)
    os.close(handle)
    aside = Path(name)
    try:
        if isinstance(content, Path):
            shutil.copy2(content, aside)
        else:
            aside.write_text(content, encoding="utf-8")
        aside.replace(target)
    finally:
        aside.unlink(missing_ok=True)


def layout(config: Path | None) -> Layout:
    """The project of the given or nearest mkdocs.yml; a UsageError when it has none."""
    if config is not None and not config.is_file():
        raise UsageError(f"no such configuration file: {config}")
    found = config or find_config(Path.cwd())
    if found is None:
        raise UsageError("no mkdocs.yml here or above")
    settings = load_settings(found)
    if not settings.docs_dir.is_dir():
        raise UsageError(f"no docs folder: {settings.docs_dir}")
    if len(settings.translations) > 1:
        raise UsageError(
            f"{found}: runner setting `translations`: one translation is supported for now, "
            f"got {', '.join(settings.translations)}"
        )
    language = settings.translations[0] if settings.translations else None
    root = settings.root
    return Layout(
        found,
        settings.docs_dir,
        root / "translations" / (language or "none"),
        root / "build",
        root / "site",
        language,
        _site_name(found),
    )


def _site_name(config: Path) -> str:
    data = load_yaml(config.read_text(encoding="utf-8"))
    name = data.get("site_name") if isinstance(data, dict) else None
    return str(name) if name else "PACKAGE"


def fresh(layout: Layout, page: str) -> tuple[Entry, ...]:
    """The messages a page has now (page is relative to the docs folder)."""
    return messages(page, extract_segments(read(layout.docs / page)))


def read(path: Path) -> str:
    """A page's text with LF line endings, or a one-line UsageError."""
    try:
        return path.read_text(encoding="utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error}") from None
