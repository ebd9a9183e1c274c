"""The published site in a real browser: language switch, code blocks, copy button, French search.

French search is tried with inflected forms that are not on the page (plurals, feminines,
participles, conjugated verbs), typed key by key as a reader types them, and with prefixes.

Builds the project's own site (mkdocs.yml, docs/, translations/) into a temporary folder,
serves it on 127.0.0.1 and drives Debian's chromium through playwright. Screenshots of both
languages go to out/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from guiderunner.cli.main import main
from tests.e2e.site_helpers import SCREENSHOTS, chromium, copy_project, require_browser, served

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = "create-docker-images/"
FRENCH_TITLE = "Créer des images Docker"
FRENCH_WORD = "conteneur"
ELIDED_ONLY = "intégrité"
"""Only in « contrôle d'intégrité » on the French chapter: found because mkdocs.yml makes
apostrophes separate words (with mkdocs-material's default separator it finds nothing)."""

sync_api = require_browser()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("site"))
    assert main(["publish", "--config", str(project / "mkdocs.yml")]) == 0
    return project / "site"


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with served(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium(sync_api) as launched:
        yield launched


class Recorder:
    """What a page did that a reader would not see: console errors and requests."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []

    def watch(self, context: object, page: object) -> None:
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        context.on("request", lambda r: self.requests.append(r.url))


def test_switch_language_copy_and_search_in_french(browser: object, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    seen = Recorder()
    seen.watch(context, page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(base_url + CHAPTER)
    assert page.locator("html").get_attribute("lang") == "en"
    english_code = page.locator("pre code").all_inner_texts()
    assert english_code
    page.screenshot(path=str(SCREENSHOTS / "chapter-en.png"), full_page=False)

    page.locator(".md-header__option .md-select").hover()
    page.locator('.md-select__link[hreflang="fr"]').click()
    page.wait_for_url(base_url + "fr/" + CHAPTER)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").first.inner_text().strip().rstrip("¶") == FRENCH_TITLE
    assert page.title().startswith(FRENCH_TITLE)
    assert page.locator("pre code").all_inner_texts() == english_code
    page.screenshot(path=str(SCREENSHOTS / "chapter-fr.png"), full_page=False)

    _copy_first_block(page, english_code[0])
    _search(page, FRENCH_WORD, base_url + "fr/" + CHAPTER)
    _search(page, ELIDED_ONLY, base_url + "fr/" + CHAPTER)
    page.screenshot(path=str(SCREENSHOTS / "search-fr.png"), full_page=False)

    page.locator('.md-select__link[hreflang="en"]').first.dispatch_event("click")
    page.wait_for_url(base_url + CHAPTER)
    context.close()

    assert seen.errors == []
    hosts = {urlsplit(url).hostname for url in seen.requests if url.startswith("http")}
    assert hosts == {"127.0.0.1"}
    assert any(
        url.endswith("/fr/assets/javascripts/lunr/min/lunr.fr.min.js") for url in seen.requests
    ), "French search loads lunr's French language support"


INFLECTED = (
    "configurées",  # feminine plural participle (the page says « configuré »)
    "compilés",  # masculine plural participle (« compilée », « compilées »)
    "utilisatrices",  # feminine plural (« utilisateur »)
    "compressées",  # feminine plural (the page says « compressée »)
    "publiées",  # participle (« publie », « publiée », « publier »)
    "construits",  # participle of an irregular verb (« construit », « construites »)
    "copiées",  # participle (« copie », « copier »)
    "étiquetées",  # participle of a noun's verb (« étiquette »)
    "poussées",  # participle (« poussez », « pousser »)
    "récupérées",  # participle the stemmer writes without accents (« récupérer »)
    "publierons",  # future
    "démarrera",  # future
    "supprimerez",  # future
    "téléchargerons",  # future
    "exécuterons",  # future
)
"""Forms of words of the French chapter that are not on it: each must find it."""
PREFIXES = ("conten", "étiq", "regist", "compil")
"""What a reader has typed so far of a word on the chapter: each must find it too."""
ENGLISH_INFLECTED = ("restorations", "rebuilding", "certifications", "downloading")
"""The English site searches the same way, with lunr's English stemmer."""


def test_french_search_finds_inflected_forms_and_prefixes(browser: object, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(SEARCH_LOG)
    page = context.new_page()
    seen = Recorder()
    seen.watch(context, page)
    chapter = base_url + "fr/" + CHAPTER
    page.goto(chapter)
    words = set(re.findall(r"[\w'\u2019-]+", page.locator("article").inner_text().lower()))
    on_page = [q for q in INFLECTED if q in words]
    assert on_page == [], "an inflected query must not be on the page as typed"
    missed = [q for q in (*INFLECTED, *PREFIXES) if chapter not in _results(page, q)]
    _results(page, "publierons")
    page.screenshot(path=str(SCREENSHOTS / "search-fr-inflected.png"), full_page=False)
    page.goto(base_url + CHAPTER)
    words = set(re.findall(r"[\w'-]+", page.locator("article").inner_text().lower()))
    assert [q for q in ENGLISH_INFLECTED if q in words] == []
    missed += [q for q in ENGLISH_INFLECTED if base_url + CHAPTER not in _results(page, q)]
    context.close()
    assert missed == []
    assert seen.errors == []


SEARCH_LOG = """
window.__searchLog = { sent: [], answered: 0 };
const PageWorker = window.Worker;
window.Worker = class extends PageWorker {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", event => {
      if (event.data && event.data.type === 3) setTimeout(() => window.__searchLog.answered++);
    });
  }
  postMessage(message, ...rest) {
    if (message && message.type === 2) window.__searchLog.sent.push(message.data);
    return super.postMessage(message, ...rest);
  }
};
"""
"""Counts the theme's queries to its search worker and the answers, so a test knows when the
results on screen are those of the last keystroke (2: query, 3: result)."""


def _results(page: object, word: str) -> list[str]:
    """Where the search results lead once `word` is typed key by key (none: empty list)."""
    field = page.locator("input.md-search__input")
    field.click()
    field.fill("")
    field.press_sequentially(word, delay=30)
    page.wait_for_function(
        "word => { const log = window.__searchLog;"
        " return log.sent.at(-1) === word && log.answered === log.sent.length; }",
        arg=word,
        timeout=15000,
    )
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    return [link.split("?")[0].split("#")[0] for link in links]


def _copy_first_block(page: object, expected: str) -> None:
    block = page.locator(".md-typeset .highlight").first
    block.hover()
    button = block.locator('button[data-md-type="copy"]')
    assert button.count() == 1
    assert button.get_attribute("title") == "Copier dans le presse-papiers"
    button.click()
    dialog = page.locator(".md-dialog")
    dialog.wait_for(state="visible")
    assert "presse-papier" in dialog.inner_text()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip()
    assert copied.split("\n")[0] in expected


def _search(page: object, word: str, chapter_url: str) -> None:
    field = page.locator("input.md-search__input")
    field.click()
    field.fill("")
    field.press_sequentially(word, delay=50)
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(state="visible", timeout=15000)
    links = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    resolved = [page.evaluate("href => new URL(href, location.href).href", link) for link in links]
    assert any(url.split("?")[0].split("#")[0] == chapter_url for url in resolved), resolved
