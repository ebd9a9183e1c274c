"""`runner publish` on the sample project: two strict mkdocs builds, English at /, French /fr/."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from guiderunner.cli.main import main
from guiderunner.settings import load_settings
from guiderunner.site.build import audit_site, search_languages, site_languages

LANGUAGES = site_languages(["fr"])

pytest.importorskip("material", reason="needs the `site` extra (mkdocs-material)")

ROOT = Path(__file__).resolve().parents[3]
PROJECT = ROOT / "tests" / "fixtures" / "i18n" / "project"
ID = re.compile(r'<h[1-6] id="([^"]+)"')
PRE = re.compile(r"<pre.*?</pre>", re.DOTALL)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("publish") / "project"
    shutil.copytree(PROJECT, project)
    assert main(["publish", "--config", str(project / "mkdocs.yml")]) == 0
    return project / "site"


def _html(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_both_languages_have_every_page_and_a_404(site: Path) -> None:
    for root in ("", "fr/"):
        for page in ("index.html", "guide/index.html", "404.html"):
            assert (site / root / page).is_file()


def test_each_404_page_is_rooted_in_its_own_language(site: Path) -> None:
    """Without site_url: the French 404's links are relative to fr/, which its script finds."""
    french, english = _html(site, "fr/404.html"), _html(site, "404.html")
    assert 'href="assets/stylesheets/' in french
    assert 'href="guide/"' in french
    assert 'href="/fr/' not in french
    assert french.index('p.indexOf("/"+r)') < french.index('href="assets/stylesheets/')
    assert 'href="/assets/stylesheets/' in english
    assert 'href="/guide/"' in english
    assert 'var s=["fr/"]' in english


def test_french_pages_declare_french_and_use_french_ui_strings(site: Path) -> None:
    french = _html(site, "fr/guide/index.html")
    assert '<html lang="fr"' in french
    assert "Aller au contenu" in french
    assert "<title>Construire l'image stockdata - Exemple\u00a0: guide exécutable</title>" in french
    assert '<html lang="en"' in _html(site, "guide/index.html")
    assert '<html lang="fr"' in _html(site, "fr/404.html")


def test_the_french_search_index_asks_lunr_for_french(site: Path) -> None:
    assert search_languages(site, LANGUAGES[0]) == ["en"]
    assert search_languages(site, LANGUAGES[1]) == ["fr"]
    assert (site / "fr" / "assets" / "javascripts" / "lunr" / "min" / "lunr.fr.min.js").is_file()
    index = json.loads(_html(site, "fr/search/search_index.json"))
    assert any("Construisez et exécutez" in doc["text"] for doc in index["docs"])


def test_no_runner_comment_or_hidden_block_reaches_the_site(site: Path) -> None:
    for path in site.rglob("*"):
        if path.suffix in (".html", ".json"):
            text = path.read_text(encoding="utf-8")
            assert "runner:" not in text
            assert "mkdir -p demo" not in text


def test_code_blocks_and_heading_ids_are_the_same_in_both_languages(site: Path) -> None:
    english, french = _html(site, "guide/index.html"), _html(site, "fr/guide/index.html")
    assert PRE.findall(french) == PRE.findall(english)
    assert len(PRE.findall(english)) == 4
    assert (
        ID.findall(french)
        == ID.findall(english)
        == ["build-the-stockdata-image", "options", "options_1"]
    )


def test_admonition_titles_are_french(site: Path) -> None:
    french = _html(site, "fr/guide/index.html")
    assert '<p class="admonition-title">Remarque</p>' in french
    assert '<p class="admonition-title">Même distribution</p>' in french


def test_the_switcher_leads_to_the_same_page_in_the_other_language(site: Path) -> None:
    english, french = _html(site, "guide/index.html"), _html(site, "fr/guide/index.html")
    assert '<a href="../fr/guide/" hreflang="fr" class="md-select__link">' in english
    assert '<a href="../../guide/" hreflang="en" class="md-select__link">' in french
    assert 'rel="alternate"' not in english


def test_nothing_is_fetched_from_another_host(site: Path) -> None:
    assert audit_site(site) == []
    assert "fonts.googleapis" not in _html(site, "fr/index.html")


def test_the_generated_configs_inherit_mkdocs_yml(site: Path) -> None:
    config = (site.parent / "build" / "mkdocs.fr.yml").read_text(encoding="utf-8")
    assert str(site.parent / "mkdocs.yml") in config
    assert '"language": "fr"' in config


def test_the_runner_reads_its_settings_from_the_project_mkdocs_yml() -> None:
    settings = load_settings(ROOT / "mkdocs.yml", environ={})
    assert settings.sample == ROOT / "sample-solution"
    assert (settings.timeout, settings.ready_timeout) == (120.0, 90.0)
    assert dict(settings.placeholders) == {
        "myorg": "stockkube",
    }
    assert dict(settings.env) == {}, "what a page needs is in the page, where readers see it"
