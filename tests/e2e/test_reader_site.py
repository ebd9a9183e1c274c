"""What a published page gives a reader, read from the built HTML and the served site.

The fixture page (tests/e2e/reader_site.py) is verified for real (bash) and published with its
JSON report beside the project's own pages. The copy text of each console block (the
`data-copy` that mkdocs-material's copy button copies; Chromium clicks it in
test_reader_browser.py) must be exactly its commands; lines whose expected output varies show
what the run printed, masked, marked; skipped and failing-on-purpose blocks say so in both
languages; the sample archive downloads from the served site; and no page of either language
shows a pattern as output.
"""

from __future__ import annotations

import html
import io
import json
import re
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest

from guiderunner.cli.main import main
from tests.e2e.reader_site import (
    COMMANDS,
    HEREDOCS,
    REPOSITORY,
    SECRET,
    console_texts,
    publish_fixture,
    unreadable_patterns,
)
from tests.e2e.site_helpers import copy_project, served

pytestmark = [pytest.mark.timeout(600)]
pytest.importorskip("material", reason="needs the `site` extra (mkdocs-material)")

COPY = re.compile(r'<div class="language-console highlight" data-copy="([^"]*)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return publish_fixture(tmp_path_factory.mktemp("reader"))


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["", "fr/"])
def test_copy_text_is_exactly_the_commands(site: Path, language: str) -> None:
    copies = [
        html.unescape(c) for c in COPY.findall(_read(site / language / "reader" / "index.html"))
    ]
    assert copies[:3] == [COMMANDS, HEREDOCS, "uname -s"]
    assert copies[3:] == ["licence-check --online", "bash -c 'exit 3'", f"git clone {REPOSITORY}"]


def test_every_console_block_of_the_chapter_copies_commands_only(site: Path) -> None:
    for language in ("", "fr/"):
        page = _read(site / language / "create-docker-images" / "index.html")
        blocks = page.count('<div class="language-console highlight"')
        copies = [html.unescape(c) for c in COPY.findall(page)]
        assert blocks == len(copies) > 10
        for text in copies:
            assert text.strip()
            assert not any(line.startswith("$") for line in text.split("\n"))


def test_varying_lines_show_what_ran_masked_and_marked(site: Path) -> None:
    first, heredocs, kernel = console_texts(site / "reader" / "index.html")[:3]
    assert re.search(r"^20\d\d$", first, re.MULTILINE), first
    assert re.search(r"^took \d+ ms$", first, re.MULTILINE), first
    assert "token: ***" in first
    assert "\n1\n2\n3\n4\n… 12 more lines\n17\n18\n19\n20\n" in first
    assert "Linux" in kernel.split("\n")
    assert "Hello, $USER" in heredocs  # exact output stays as written
    page = _read(site / "reader" / "index.html")
    assert SECRET not in page
    marked = re.findall(r'<span class="runner-varies" title="([^"]*)">([^<]*)</span>', page)
    assert ("Varies from run to run: as the last verified run printed it", "Linux") in marked
    french = _read(site / "fr" / "reader" / "index.html")
    assert "tel que l’a affiché la dernière exécution vérifiée" in french


def test_skipped_reasons_and_exit_statuses_show_in_both_languages(site: Path) -> None:
    english = _read(site / "reader" / "index.html")
    french = _read(site / "fr" / "reader" / "index.html")
    assert (
        "Not run when this page is verified: needs a licence server: not verified here" in english
    )
    assert "Expected to fail: exits with status 3" in english
    assert "Non exécuté lors de la vérification de cette page\u00a0: needs a licence" in french
    assert "Échec attendu\u00a0: code de sortie 3" in french
    skipped = console_texts(site / "reader" / "index.html")[3]
    assert "licence … ok" in skipped  # no run: the neutral rendering
    chapter = _read(site / "fr" / "create-docker-images" / "index.html")
    assert "demande docker buildx" in chapter  # a reason translated in site.yml


def test_the_sample_downloads_and_holds_the_solution(site: Path) -> None:
    with served(site) as base:
        for language in ("", "fr/"):
            page = _read(site / language / "reader" / "index.html")
            href = re.search(r'<a href="([^"]*)">the sample</a>', page)
            assert href is not None
            url = urllib.parse.urljoin(f"{base}{language}reader/", html.unescape(href[1]))
            assert url == f"{base}downloads/stockkube-sample.zip"
            with urllib.request.urlopen(url, timeout=30) as response:
                data = response.read()
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
            assert "stockkube-sample/StockKube.sln" in names
            assert any(n.endswith("/StockData.csproj") for n in names)
            assert not [n for n in names if "/bin/" in n or "/obj/" in n]


def test_no_published_page_shows_a_pattern_as_output(site: Path) -> None:
    patterns = unreadable_patterns(site.parent / "docs")
    assert "[0-9]{4}" in patterns
    assert len(patterns) > 2
    pages = sorted(site.rglob("*.html"))
    assert len([p for p in pages if "/fr/" in p.as_posix()]) >= 5
    for page in pages:
        for block in console_texts(page):
            for line in block.split("\n"):
                assert not line.rstrip().endswith("(re)"), f"{page}: {line}"
                assert line.strip() != "...", f"{page}: {line}"
                assert line.strip() not in patterns, f"{page}: {line}"


def test_without_a_report_the_rendering_is_neutral(tmp_path: Path) -> None:
    site = publish_fixture(tmp_path, report=False)
    for language, placeholder in (("", "<varies>"), ("fr/", "<variable>")):
        first = console_texts(site / language / "reader" / "index.html")[0]
        assert "[0-9]{4}" not in first
        assert "(re)" not in first
        assert placeholder in first
        assert "took … ms" in first
        assert "\n…\n" in first
    assert json.loads(_read(site.parent / "build" / "outputs.json")) == {}


def test_a_page_linking_a_missing_sample_fails_the_publish(tmp_path: Path, capsys) -> None:
    project = copy_project(tmp_path)
    (project / "sample-solution").unlink()
    (project / "docs" / "reader.md").write_text("# R\n\n[The sample](runner:sample).\n")
    assert main(["publish", "--config", str(project / "mkdocs.yml")]) == 2
    err = capsys.readouterr().err
    # The first page the build meets that links it is named (the chapter links it too).
    assert re.search(
        r"\S+/index\.html links the sample, but .*sample-solution is not a folder", err
    )
