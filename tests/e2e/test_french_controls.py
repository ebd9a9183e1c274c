"""The French site's controls and search, in Debian's chromium: the recording player speaks
French (buttons, tooltips, the keyboard-help overlay, chapters, markers), and search finds
what French readers type (no accents, a verb's infinitive, « l'image »).

The site is the project's own, published by `runner publish` from a copy, with a recording
that `runner verify --record` makes of authoring.md (the French page shows it too).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from guiderunner.cli.main import main
from guiderunner.i18n.language import read_mapping
from tests.conftest import ROOT
from tests.e2e.site_helpers import chromium, copy_project, require_browser, served
from tests.e2e.test_site_browser import SEARCH_LOG, _results

pytestmark = [pytest.mark.browser, pytest.mark.timeout(400)]
sync_api = require_browser()

CONTROLS = read_mapping(ROOT / "translations/fr/site.yml")["player"]["controls"]
ENGLISH_CONTROLS = {english for english, french in CONTROLS.items() if english != french}
"""The player's English words that have a French translation: none may be left on screen."""
ENGLISH_WORDS = re.compile(
    r"\b(?:shortcuts?|keyboard|fullscreen|toggle|mute|unmute|resume|rewind|forward|jump|"
    r"marker|frame|show|help|popup|seconds|write|stop|watch|steps?|line)\b",
    re.IGNORECASE,
)
SHOWN = """
box => {
  const found = [];
  const walk = node => {
    if (node.nodeType === Node.TEXT_NODE) {
      if (node.nodeValue.trim()) found.push(node.nodeValue.trim());
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE || node.matches(".ap-terminal, pre, code")) return;
    if (node.matches(".recording-chapters button")) return;   // commands, as the page shows them
    for (const name of ["aria-label", "title"])
      if (node.getAttribute(name)) found.push(node.getAttribute(name));
    node.childNodes.forEach(walk);
  };
  walk(box);
  return found;
}
"""
"""Every text and tooltip of the snippet a reader meets, outside the terminal and commands."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    where = tmp_path_factory.mktemp("french-controls")
    project = copy_project(where)
    (project / "player").symlink_to(ROOT / "player")  # the pinned player (npm ci)
    config = str(project / "mkdocs.yml")
    recordings, report = where / "recordings", where / "report.json"
    verify = ["verify", "--config", config, "--lang", "all", "--no-cache"]
    assert main([*verify, "--record", str(recordings), "--json", str(report),
                 str(project / "docs/authoring.md")]) == 0  # fmt: skip
    publish = ["publish", "--config", config, "--recordings", str(recordings)]
    assert main([*publish, "--report", str(report)]) == 0
    with served(project / "site") as base_url:
        yield base_url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium(sync_api) as running:
        yield running


def test_every_control_of_the_player_is_french(browser: object, site: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(site + "fr/authoring/")
    snippet = tab.locator("details.recording")
    snippet.locator("summary").click()
    tab.locator(".ap-control-bar").wait_for(state="attached", timeout=20000)
    tab.locator(".ap-kbd-button").click()
    tab.locator(".ap-overlay-help").wait_for(state="visible", timeout=5000)
    tab.wait_for_timeout(300)
    shown = snippet.evaluate(SHOWN)
    chapters = tab.eval_on_selector_all(
        ".recording-chapters button", "els => els.map(e => e.textContent)"
    )
    markers = tab.eval_on_selector_all(
        ".ap-marker-container .ap-tooltip", "els => els.map(e => e.textContent)"
    )
    context.close()
    assert errors == []
    assert "Raccourcis clavier" in shown, shown
    left = [text for text in shown if text in ENGLISH_CONTROLS or ENGLISH_WORDS.search(text)]
    assert left == [], left
    assert not any(label.startswith(("$ write", "$ stop", "$ start")) for label in chapters)
    labels = [re.sub(r"^[\d:]+ - ", "", marker) for marker in markers]
    assert labels, "the progress bar has the steps' markers"
    assert set(labels) <= set(chapters), (labels, chapters)
    assert "Écriture du fichier notes/reminder.txt" in labels


@pytest.mark.parametrize(
    ("query", "means"),
    [
        ("generateur", "générateur"),  # typed without accents
        ("etape", "étape"),
        ("ecrire", "écrit"),  # an irregular verb, from its infinitive
        ("construire", "construit"),
    ],
)
def test_search_finds_what_french_readers_type(
    browser: object, site: str, query: str, means: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(SEARCH_LOG)
    tab = context.new_page()
    tab.goto(site + "fr/")
    found = _results(tab, query)
    context.close()
    assert found, f"« {query} » finds nothing, though the guide says « {means} »"
    assert all("/fr/" in url for url in found), found


def test_an_elided_article_does_not_match_every_page(browser: object, site: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(SEARCH_LOG)
    tab = context.new_page()
    tab.goto(site + "fr/")
    elided, plain = _results(tab, "l\u2019image"), _results(tab, "image")
    loaded = _results(tab, "l\u2019ensemble")
    context.close()
    assert set(elided) == set(plain), (elided, plain)
    assert set(loaded) < {site + "fr/" + page for page in PAGES}, loaded


PAGES = ("", "authoring/", "run-in-ci/", "create-docker-images/")


def test_the_french_words_of_the_search_come_from_the_index(site: str) -> None:
    """The accent-less query must not be on the pages as typed: the test would prove nothing."""
    text = Path(ROOT / "translations/fr/run-in-ci.po").read_text(encoding="utf-8").lower()
    assert "générateur" in text
    assert not re.search(r"\bgenerateur", text)
