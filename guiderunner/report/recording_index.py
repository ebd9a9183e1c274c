"""The folder of `runner verify --record DIR`: one .cast per page, and an index of them.

The index (`DIR/recordings.json`) says, for each language and page (its path in the docs
folder), which file holds its recording, the content hash of the plan that was recorded
(guiderunner.store.cache) and whether the page passed. `runner publish` reads it back and shows a
recording only while its hash is the page's current one, so a site never plays steps a page no
longer has. A French page whose plan is the English one (same hash) is not recorded again: its
entry names the English file.

>>> cast_file("en", "authoring.md"), cast_file("fr", "guides/a.md")
('authoring.cast', 'fr/guides/a.cast')
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

__all__ = ["INDEX", "Index", "Recorded", "cast_file", "read_index", "recorded", "write_index"]

INDEX = "recordings.json"
VERSION = 1
SOURCE_LANGUAGE = "en"
"""The language pages are written in; its recordings live at the folder's top."""


@dataclass(frozen=True, slots=True)
class Recorded:
    """One page's recording, as the index holds it."""

    cast: str
    """The .cast file, relative to the folder."""
    content_hash: str
    """The content hash of the plan it recorded."""
    passed: bool
    """Whether every step of that run passed."""


Index = Mapping[str, Mapping[str, Recorded]]
"""Language -> page (its path in the docs folder) -> its recording."""


def cast_file(lang: str, page: str) -> str:
    """Where a page's recording goes in the folder: English at the top, others in `<lang>/`."""
    name = PurePosixPath(page).with_suffix(".cast")
    return str(name if lang == SOURCE_LANGUAGE else PurePosixPath(lang) / name)


def read_index(folder: Path) -> dict[str, dict[str, Recorded]]:
    """The folder's index; empty when there is none yet.

    Raises:
        ValueError: the index is not one `write_index` wrote.
        OSError: it cannot be read.
    """
    path = folder / INDEX
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise ValueError(f"{path}: not an index of recordings (version {VERSION})")
    try:
        return {
            str(lang): {str(page): Recorded(**entry) for page, entry in pages.items()}
            for lang, pages in data["pages"].items()
        }
    except (AttributeError, KeyError, TypeError) as error:
        raise ValueError(f"{path}: not an index of recordings: {error}") from None


def write_index(folder: Path, index: Index) -> None:
    """Write the index (through a temporary file, so a reader never sees half of it)."""
    pages = {
        lang: {page: asdict(entry) for page, entry in sorted(entries.items())}
        for lang, entries in sorted(index.items())
    }
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / (INDEX + ".part")
    text = json.dumps({"version": VERSION, "pages": pages}, ensure_ascii=False, indent=1)
    partial.write_text(text + "\n", encoding="utf-8")
    partial.replace(folder / INDEX)


def recorded(index: Index, folder: Path, lang: str, page: str, digest: str) -> Recorded | None:
    """A passing recording of this plan that a page in `lang` can show, if the folder has one.

    Its own, or the source language's when that one recorded the same plan (same hash).

    >>> index = {"en": {"a.md": Recorded("a.cast", "h1", True)}}
    >>> recorded(index, Path("/nowhere"), "fr", "a.md", "h1") is None  # no file
    True
    """
    for source in (lang, SOURCE_LANGUAGE):
        entry = index.get(source, {}).get(page)
        if (
            entry is not None
            and entry.passed
            and entry.content_hash == digest
            and (folder / entry.cast).is_file()
        ):
            return entry
    return None
