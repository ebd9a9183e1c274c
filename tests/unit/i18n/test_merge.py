"""Segments + old catalog -> new catalog: fuzzy, obsolete, new, and no translation lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guiderunner.cli.main import main
from guiderunner.i18n.catalog import read_catalog, write_catalog
from guiderunner.i18n.extract import extract_segments
from guiderunner.i18n.merge import merge, messages
from guiderunner.i18n.model import Catalog, Entry

PROJECT = Path(__file__).resolve().parents[2] / "fixtures" / "i18n" / "project"
PARAGRAPH = "Docker builds an image from a Dockerfile."


def _catalog(*entries: Entry) -> Catalog:
    return Catalog((("Language", "fr"),), entries)


def _fresh(*texts: str) -> tuple[Entry, ...]:
    return tuple(Entry(text, occurrences=(f"page.md:{n}",)) for n, text in enumerate(texts, 1))


def test_an_unchanged_message_keeps_its_translation_and_gets_new_lines() -> None:
    old = _catalog(Entry("Hello", "Bonjour", occurrences=("page.md:9",)))
    (entry,) = merge(old, _fresh("Hello")).entries
    assert (entry.msgstr, entry.fuzzy, entry.occurrences) == ("Bonjour", False, ("page.md:1",))


def test_a_changed_message_turns_fuzzy_with_the_previous_english_kept() -> None:
    old = _catalog(Entry(PARAGRAPH, "Docker construit une image à partir d'un Dockerfile."))
    changed = "Docker builds an image from its Dockerfile."
    (entry,) = merge(old, _fresh(changed)).entries
    assert entry.msgid == changed
    assert entry.fuzzy
    assert entry.previous == PARAGRAPH
    assert entry.msgstr.startswith("Docker construit")


def test_a_removed_message_becomes_obsolete_and_comes_back_translated() -> None:
    old = _catalog(Entry("Gone for now", "Parti pour l'instant"))
    catalog = merge(old, _fresh("Something else entirely, unrelated"))
    obsolete = [e for e in catalog.entries if e.obsolete]
    assert [(e.msgid, e.msgstr) for e in obsolete] == [("Gone for now", "Parti pour l'instant")]
    (back,) = merge(catalog, _fresh("Gone for now")).active
    assert (back.msgstr, back.obsolete) == ("Parti pour l'instant", False)


def test_a_new_message_starts_untranslated() -> None:
    (entry,) = merge(_catalog(), _fresh("Brand new")).entries
    assert (entry.msgstr, entry.fuzzy) == ("", False)


def test_messages_group_identical_text_with_every_occurrence() -> None:
    entries = messages("guide.md", extract_segments("## Options\n\nText.\n\n## Options\n"))
    assert [(e.msgid, e.occurrences, e.note) for e in entries] == [
        ("Options", ("guide.md:1", "guide.md:5"), "heading"),
        ("Text.", ("guide.md:3",), ""),
    ]


words = st.text(alphabet="abcdefgh ", min_size=1, max_size=30)


@given(st.dictionaries(words, words, max_size=8), st.lists(words, max_size=8))
def test_no_translation_is_ever_lost(old: dict[str, str], new: list[str]) -> None:
    before = _catalog(*(Entry(k, v) for k, v in old.items()))
    after = merge(before, _fresh(*dict.fromkeys(new)))
    kept = {e.msgstr for e in after.entries}
    assert {v for v in old.values() if v} <= kept


def test_a_catalog_survives_a_round_trip_through_a_po_file(tmp_path: Path) -> None:
    catalog = _catalog(
        Entry("Hello", "Bonjour", occurrences=("a.md:1",), note="heading"),
        Entry(
            "New text",
            "Vieux texte",
            fuzzy=True,
            previous="Old text",
            occurrences=("a.md:3", "a.md:9"),
        ),
        Entry("Gone", "Parti", obsolete=True),
    )
    write_catalog(tmp_path / "a.po", catalog)
    again = read_catalog(tmp_path / "a.po")
    assert [e.__class__(**{**_fields(e), "line": 0}) for e in again.entries] == list(
        catalog.entries
    )
    assert '#| msgid "Old text"' in (tmp_path / "a.po").read_text(encoding="utf-8")


def _fields(entry: Entry) -> dict[str, object]:
    return {name: getattr(entry, name) for name in Entry.__dataclass_fields__}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT, tmp_path / "project")
    return tmp_path / "project"


def test_update_after_an_english_edit_marks_fuzzy_and_check_fails(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(project / "mkdocs.yml")
    page = project / "docs" / "guide.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "on the same Linux variant.", "on the same Linux distribution variant."
        ),
        encoding="utf-8",
    )
    assert main(["i18n", "check", "--config", config]) == 1
    assert "not in the catalog (guide.md:33)" in capsys.readouterr().out

    assert main(["i18n", "update", "--config", config]) == 0
    catalog = read_catalog(project / "translations" / "fr" / "guide.po")
    (entry,) = [e for e in catalog.entries if e.fuzzy]
    assert entry.previous == "Build and run the container on the same Linux variant."
    assert entry.msgstr.startswith("Construisez et exécutez")
    assert not [e for e in catalog.entries if e.obsolete]

    capsys.readouterr()
    assert main(["i18n", "check", "--config", config]) == 1
    out = capsys.readouterr().out
    assert "guide.md: 92.9% translated (13/14), 1 fuzzy, 0 untranslated" in out
    assert f"translations/fr/guide.po:{entry.line}: fuzzy: Build and run" in out.replace(
        str(project) + "/", ""
    )
    assert (
        main(["i18n", "check", "--config", config, "--max-fuzzy", "1", "--min-translated", "90"])
        == 0
    )


def test_update_keeps_catalogs_unchanged_when_the_pages_are(project: Path) -> None:
    before = (project / "translations" / "fr" / "guide.po").read_text(encoding="utf-8")
    assert main(["i18n", "update", "--config", str(project / "mkdocs.yml")]) == 0
    assert (project / "translations" / "fr" / "guide.po").read_text(encoding="utf-8") == before
