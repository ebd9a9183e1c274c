"""The published French site: French everywhere a reader looks, and stale pages that say so.

Builds the project's own site (mkdocs.yml, docs/, translations/) into a temporary copy, then
reads every French page as a reader meets it: text outside code, tooltips, labels, the
search field, the theme's messages in `__config`, the 404 page and the badge.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from guiderunner.cli.main import main as i18n_main
from guiderunner.i18n.language import load_glossary
from tests.conftest import ROOT
from tests.e2e.site_helpers import copy_project, page_hash

pytest.importorskip("material", reason="needs the `site` extra (mkdocs-material)")
pytestmark = pytest.mark.timeout(300)

CODE = frozenset({"code", "pre", "kbd"})
"""Elements whose text is code: what they hold may be English, and so may its words elsewhere."""
HIDDEN = frozenset({"script", "style", "svg"})
"""Elements whose text nobody reads (the theme's `__config` is read on its own)."""
VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area"})
SHOWN_ATTRIBUTES = frozenset({"title", "aria-label", "placeholder", "alt"})
"""Attributes a reader sees (tooltips) or hears (screen readers)."""
ENGLISH_ONLY = frozenset(
    """
    the and of to is are was were be been with from that this these those which what when
    where who you your it its not found link copy copied clipboard search searching skip
    verified previous next back matching missing more clear share select language edit
    view contents header footer initializing for by into over under out up down about
    after before again all any each every both few most some such only own same too very
    can will just should now run runs ran step steps exit status placeholder placeholders
    warning read english changed translation translated made
    """.split()  # noqa: SIM905
)
"""English words that are not French words: one of them outside code is English text."""
LANGUAGE_NAMES = frozenset({"English"})
"""The language switcher names each language in that language."""


class _Reader(HTMLParser):
    """What a reader meets on a page: (where, text) outside code, and the code's own words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.shown: list[tuple[str, str]] = []
        self.code: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append(tag)
        self.shown.extend((f"{tag}@{name}", value) for name, value in attrs
                          if name in SHOWN_ATTRIBUTES and value)  # fmt: skip

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not data.strip() or HIDDEN.intersection(self.open):
            return
        if CODE.intersection(self.open):
            self.code.append(data)
        else:
            self.shown.append((self.open[-1] if self.open else "", data.strip()))


def english_on(page: Path, protected: frozenset[str]) -> list[str]:
    """Every piece of English text on a built page, outside code and protected names."""
    text = page.read_text(encoding="utf-8")
    reader = _Reader()
    reader.feed(text)
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', text, re.S)
    if config:
        reader.shown.extend(("__config", v) for v in json.loads(config[1])["translations"].values())
    allowed = {w.lower() for chunk in reader.code for w in re.findall(r"[A-Za-z]+", chunk)}
    allowed |= {w.lower() for name in protected | LANGUAGE_NAMES for w in name.split()}
    return [
        f"{page.name} <{where}>: {shown!r}"
        for where, shown in reader.shown
        for word in re.findall(r"[A-Za-z]+(?:'[a-z]+)?", shown)
        if word.lower() in ENGLISH_ONLY and word.lower() not in allowed
    ]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built with a report that verified every page on the first of a month."""
    project = copy_project(tmp_path_factory.mktemp("french"))
    pages = sorted(p.name for p in (project / "docs").glob("*.md"))
    report = {
        "finished": "2026-03-01T10:00:00+00:00",
        "environment": {"docker": "28.2.2", "dotnet": "10.0.401"},
        "pages": [
            {"path": f"docs/{p}", "content_hash": page_hash(project, p), "passed": True}
            for p in pages
        ],
    }
    (project / "report.json").write_text(json.dumps(report), encoding="utf-8")
    config, report_path = project / "mkdocs.yml", project / "report.json"
    assert i18n_main(["publish", "--config", str(config), "--report", str(report_path)]) == 0
    return project / "site"


def test_every_french_page_is_french_outside_code(published: Path) -> None:
    glossary = load_glossary(ROOT / "translations" / "fr" / "glossary.yml")
    pages = sorted((published / "fr").rglob("*.html"))
    assert {p.relative_to(published / "fr").as_posix() for p in pages} >= {
        "404.html",
        "index.html",
        "authoring/index.html",
        "create-docker-images/index.html",
    }
    english = [found for page in pages for found in english_on(page, frozenset(glossary.protected))]
    assert english == []


def test_the_detector_finds_the_english_it_is_meant_to(published: Path) -> None:
    """The same reading of the English site finds its English: the check can fail."""
    found = english_on(published / "404.html", frozenset())
    assert any("Not found" in f for f in found), found
    chapter = english_on(published / "create-docker-images" / "index.html", frozenset())
    assert any("Permanent link" in f for f in chapter)
    assert any("Copy to clipboard" in f for f in chapter)


def test_french_words_of_the_theme_404_links_and_badge(published: Path) -> None:
    chapter = (published / "fr" / "create-docker-images" / "index.html").read_text()
    assert 'title="Lien permanent vers cette section"' in chapter
    assert "Permanent link" not in chapter
    date = "1er\u00a0mars\u00a02026"
    assert f"Vérifié le {date}</time> avec Docker 28.2.2 et .NET 10.0.401" in chapter
    assert 'title="Empreinte du contenu vérifié\u00a0: ' in chapter
    assert '"clipboard.copy": "Copier dans le presse-papiers"' in chapter
    missing = (published / "fr" / "404.html").read_text()
    assert "<h1>Erreur 404\u00a0: page introuvable</h1>" in missing
    english = (published / "create-docker-images" / "index.html").read_text()
    assert "Verified on March 1, 2026</time>" in english
    assert 'title="Permanent link"' in english


def test_a_french_page_whose_english_changed_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fuzzy message: listed with its line by the check, which fails or not as mkdocs.yml
    says, and shown in English on a page that says its translation lags."""
    project = copy_project(tmp_path)
    config = str(project / "mkdocs.yml")
    index = project / "docs" / "index.md"
    changed = "How to use this guide"
    index.write_text(index.read_text().replace("## How to use it\n", f"## {changed}\n"))
    assert i18n_main(["i18n", "update", "--config", config]) == 0
    capsys.readouterr()

    assert i18n_main(["i18n", "check", "--config", config]) == 1
    out = capsys.readouterr().out
    assert re.search(r"translations/fr/index\.po:\d+: fuzzy: How to use this guide", out), out

    mkdocs_yml = project / "mkdocs.yml"
    assert "fuzzy: fail" in mkdocs_yml.read_text()
    mkdocs_yml.write_text(mkdocs_yml.read_text().replace("fuzzy: fail", "fuzzy: notice"))
    assert i18n_main(["i18n", "check", "--config", config]) == 0
    out = capsys.readouterr().out
    assert re.search(r"translations/fr/index\.po:\d+: fuzzy: How to use this guide", out), out

    assert i18n_main(["publish", "--config", config]) == 0
    french = (project / "site" / "fr" / "index.html").read_text()
    assert 'class="stale-translation"' in french
    assert "La version anglaise de cette page a changé depuis sa traduction" in french
    assert '<a href="../" hreflang="en">Lire l\u2019original anglais</a>' in french
    assert changed in french  # the fuzzy message is shown in English meanwhile
    others = (project / "site" / "fr" / "authoring" / "index.html").read_text()
    assert "stale-translation" not in others
