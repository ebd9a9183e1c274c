"""Catalogs -> French pages: only prose changes, so executable blocks are the English ones."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from guiderunner.cli.main import main
from guiderunner.i18n.apply import translate_page, usable_translations
from guiderunner.i18n.catalog import read_catalog
from guiderunner.i18n.extract import extract_segments
from guiderunner.i18n.model import Catalog, Entry
from guiderunner.parse import parse_guide

PROJECT = Path(__file__).resolve().parents[2] / "fixtures" / "i18n" / "project"
FENCE_OR_COMMENT = re.compile(r"^(```|<!--|-->|\$ |    indented)")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("build") / "project"
    shutil.copytree(PROJECT, project)
    assert main(["i18n", "build", "--config", str(project / "mkdocs.yml")]) == 0
    return project


def _french(project: Path, page: str) -> str:
    return (project / "build" / "docs" / "fr" / page).read_text(encoding="utf-8")


def _english(page: str) -> str:
    return (PROJECT / "docs" / page).read_text(encoding="utf-8")


def test_executable_blocks_are_identical_to_the_english_ones(built: Path) -> None:
    english = parse_guide("guide.md", _english("guide.md"))
    french = parse_guide("guide.md", _french(built, "guide.md"))
    assert [_unplaced(item) for item in french.items] == [_unplaced(i) for i in english.items]
    assert any(getattr(item, "hidden", False) for item in english.items)


def _unplaced(item: object) -> object:
    """A block or stop mark without its lines: French prose may take fewer lines."""
    variants = tuple(replace(v, span=None, fence=0) for v in getattr(item, "variants", ()))
    unplaced = replace(item, span=None)  # type: ignore[type-var]
    tab = getattr(item, "tab", None)
    if tab is not None:  # the set's line moves with the prose; its title must not change
        unplaced = replace(unplaced, tab=replace(tab, set_line=0))  # type: ignore[type-var]
    return replace(unplaced, variants=variants) if variants else unplaced


def test_code_directives_hidden_blocks_and_front_matter_are_byte_identical(built: Path) -> None:
    english, french = _english("guide.md").split("\n"), _french(built, "guide.md").split("\n")
    kept = [line for line in english if FENCE_OR_COMMENT.match(line) or line.startswith("FROM")]
    assert kept == [line for line in french if line in kept]
    assert french[:3] == english[:3]


def test_headings_keep_their_english_ids(built: Path) -> None:
    headings = [line for line in _french(built, "guide.md").split("\n") if line.startswith("#")]
    assert headings == [
        "# Construire l'image `stockdata` {#build-the-stockdata-image}",
        "## Options {#options}",
        "## Options {#options_1}",
    ]


def test_admonition_titles_are_translated_even_the_default_ones(built: Path) -> None:
    french = _french(built, "guide.md")
    assert '!!! note "Remarque"\n    Depuis .NET 8' in french
    assert '!!! warning "Même distribution"\n' in french


def test_tables_lists_and_definitions_are_translated_in_place(built: Path) -> None:
    french = _french(built, "guide.md")
    assert "| Étiquette | Signification |\n| --- | --- |\n| `10.0` | l'image par défaut |" in french
    assert "- `-t stockdata:1.0.0` nomme l'image, étiquette comprise.\n- Le `.` final" in french
    assert "`WORKDIR /src`\n:   Fait de `/src` le dossier courant." in french


def test_other_files_are_copied(built: Path) -> None:
    copied = built / "build" / "docs" / "fr" / "img" / "logo.svg"
    assert copied.read_bytes() == (PROJECT / "docs" / "img" / "logo.svg").read_bytes()


def test_fuzzy_and_untranslated_messages_fall_back_to_the_english_source() -> None:
    page = "# Title\n\nFirst paragraph,\non two lines.\n\n!!! note\n    Body.\n"
    catalog = Catalog(
        (),
        (
            Entry("Title", "Titre", fuzzy=True),
            Entry("First paragraph, on two lines.", ""),
            Entry("Note", "Remarque", fuzzy=True),
        ),
    )
    translated = translate_page(page, extract_segments(page), usable_translations(catalog))
    assert translated == page.replace("# Title", "# Title {#title}")


def test_a_multi_line_translation_is_indented_where_it_sits() -> None:
    page = "!!! note\n    Body.\n\n- Item\n"
    translations = {"Body.": "Corps,\nsur deux lignes.", "Item": "Élément\nlong"}
    translated = translate_page(page, extract_segments(page), translations)
    assert translated == "!!! note\n    Corps,\n    sur deux lignes.\n\n- Élément\n  long\n"


def test_a_pipe_in_a_translated_cell_is_escaped() -> None:
    page = "| A | B |\n| - | - |\n| one | two |\n"
    translated = translate_page(page, extract_segments(page), {"one": "un | une"})
    assert "| un \\| une | two |" in translated


def test_a_page_without_catalog_is_built_in_english(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    (project / "translations" / "fr" / "index.po").unlink()
    assert main(["i18n", "build", "--config", str(project / "mkdocs.yml")]) == 0
    assert _french(project, "index.md") == _english("index.md").replace(
        "# Sample guide", "# Sample guide {#sample-guide}"
    )
    assert "index.md: not translated yet" in capsys.readouterr().err


def test_the_build_writes_nothing_into_docs_or_translations(built: Path) -> None:
    for folder in ("docs", "translations"):
        for path in (built / folder).rglob("*"):
            if path.is_file():
                assert path.read_bytes() == (PROJECT / path.relative_to(built)).read_bytes()
    assert read_catalog(built / "translations" / "fr" / "guide.po").active


GUIDE_PAGES = sorted((PROJECT.parents[3] / "docs").glob("*.md"))


@pytest.mark.parametrize("page", GUIDE_PAGES, ids=[p.name for p in GUIDE_PAGES])
def test_the_guides_french_pages_run_exactly_the_english_blocks(page: Path) -> None:
    """Dogfood: the project's own pages, through its own French catalogs."""
    catalog_path = PROJECT.parents[3] / "translations" / "fr" / page.with_suffix(".po").name
    english = page.read_text(encoding="utf-8")
    catalog = read_catalog(catalog_path) if catalog_path.is_file() else None
    french = translate_page(english, extract_segments(english), usable_translations(catalog))
    assert [_unplaced(i) for i in parse_guide(page.name, french).items] == [
        _unplaced(i) for i in parse_guide(page.name, english).items
    ]
