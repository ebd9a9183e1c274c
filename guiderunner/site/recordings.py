"""Each page's recording on the site: what `runner publish` prepares, and what a page gets.

`runner publish` calls `site_entries` (one `recording_entries` per language) before the mkdocs
builds (the plugin reads the entries from a JSON file, as it does the badges), and
`install_recordings` after them, since each build cleans its folder. The plugin calls
`decorate` on a page's Markdown before it adds the badge, so that the badge stays right under
the title and the player comes under it.

A French page shows the English recording only when its plan is the same as the English one
(`runner publish` knows, by content hash): the steps the recording shows are then the page's.
"""

from __future__ import annotations

import shutil
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from guiderunner.report.recording import read_recording
from guiderunner.report.recording_index import SOURCE_LANGUAGE as SOURCE
from guiderunner.report.recording_index import Index, recorded
from guiderunner.site.markup import insert_after_title
from guiderunner.site.player import (
    ASSETS,
    WORDS,
    PlayerWords,
    install_player,
    player_html,
    to_root,
)
from guiderunner.site.player import recording_path as site_path
from guiderunner.site.verified_marks import WORDS as MARK_WORDS
from guiderunner.site.verified_marks import add_verified_marks, block_times

__all__ = ["decorate", "install_recordings", "recording_entries", "site_entries"]

"""The language the pages are written in."""


def recording_entries(
    casts: Mapping[str, Path], docs_dir: Path, languages: Mapping[str, Collection[str]]
) -> dict[str, dict[str, Any]]:
    """What the plugin needs for each recorded page, by its path in the docs folder.

    `casts` maps a page to its recording (`runner verify --record`), `languages` a page to the
    languages that show it (the English one, plus each translation with the same plan). A
    block's time comes from the English page, so that a translation's blocks, matched by
    order, get the same ones.

    Raises:
        OSError, ValueError: a recording cannot be read.
    """
    entries = {}
    for page, cast in sorted(casts.items()):
        recording = read_recording(cast)
        steps = {m.line: m.time for m in recording.markers if m.line is not None}
        english = (docs_dir / page).read_text(encoding="utf-8")
        entries[page] = {
            "source": str(cast.resolve()),
            "cast": site_path(page),
            "times": list(block_times(english, steps)),
            "languages": sorted(languages.get(page, ())),
        }
    return entries


def site_entries(
    index: Index,
    folder: Path,
    hashes: Mapping[str, Mapping[str, str]],
    docs: Mapping[str, Path],
) -> dict[str, dict[str, dict[str, Any]]]:
    """Each language's recorded pages, with what the plugin needs, by language and page.

    `index` and `folder` are `runner verify --record`'s, `hashes[lang][page]` the content hash
    of a page's plan now, `docs[lang]` the folder of that language's pages. A page shows a
    recording only of a passing run of that very plan; a translation whose plan is the
    English one shows the English recording (its marks timed from the English page).

    Raises:
        OSError, ValueError: a recording cannot be read.
    """
    entries: dict[str, dict[str, dict[str, Any]]] = {}
    for lang, pages in hashes.items():
        entries[lang] = {}
        for page, digest in sorted(pages.items()):
            found = recorded(index, folder, lang, page, digest)
            if found is None or not read_recording(folder / found.cast).markers:
                continue
            english = index.get(SOURCE, {}).get(page)
            source = SOURCE if english is not None and english.cast == found.cast else lang
            entry = recording_entries({page: folder / found.cast}, docs[source], {page: [lang]})
            entries[lang][page] = {**entry[page], "cast": ASSETS + found.cast}
    return entries


def install_recordings(entries: Mapping[str, Mapping[str, Any]], site_dir: Path) -> None:
    """Copy the player and every recording into the built site (after mkdocs).

    `entries` maps any key to an entry of `recording_entries` or `site_entries`; each file
    goes where its entry's `cast` says.
    """
    install_player(site_dir)
    for entry in entries.values():
        target = site_dir / entry["cast"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(entry["source"], target)


def decorate(  # noqa: PLR0917 - the plugin's one call site names each argument
    markdown: str,
    entry: Mapping[str, Any] | None,
    page_url: str,
    language_root: str,
    lang: str,
    words: PlayerWords | None = None,
) -> str:
    """A page with its "Watch this page run" snippet under the title and its "verified" marks.

    `words` are the language's player words (site.yml's `player:`), English without them.
    Unchanged when the page has no recording in this language.
    """
    if entry is None or lang not in entry.get("languages", ()):
        return markdown
    recording = read_recording(Path(entry["source"]))
    marked = add_verified_marks(markdown, entry["times"], MARK_WORDS.get(lang, MARK_WORDS["en"]))
    words = words or WORDS["en"]
    snippet = player_html(recording, entry["cast"], to_root(page_url, language_root), words)
    return insert_after_title(marked, snippet)
