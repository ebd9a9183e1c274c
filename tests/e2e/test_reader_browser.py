"""The copy button in Chromium, through the real clipboard: it gives the commands, nothing else.

The fixture page (tests/e2e/reader_site.py) is verified and published; each console block's
copy button is clicked and `navigator.clipboard.readText()` must be exactly its commands, with
continuation lines and heredoc bodies as they are typed, in both languages and in the chapter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.e2e.reader_site import COMMANDS, HEREDOCS, SECRET, publish_fixture
from tests.e2e.site_helpers import chromium, require_browser, served

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

sync_api = require_browser()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(publish_fixture(tmp_path_factory.mktemp("reader"))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium(sync_api) as launched:
        yield launched


def copied(browser: object, url: str, base_url: str) -> list[str]:
    """What each console block's copy button puts on the real clipboard, block by block."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    tab = context.new_page()
    tab.goto(url)
    texts = []
    try:
        blocks = tab.locator("div.language-console")
        for index in range(blocks.count()):
            tab.evaluate("navigator.clipboard.writeText('(nothing copied)')")
            block = blocks.nth(index)
            block.hover()
            block.locator('button[data-md-type="copy"]').click()
            tab.wait_for_function(
                "async () => (await navigator.clipboard.readText()) !== '(nothing copied)'"
            )
            texts.append(tab.evaluate("navigator.clipboard.readText()"))
    finally:
        context.close()
    return texts


@pytest.mark.parametrize("language", ["", "fr/"])
def test_copy_gives_exactly_the_commands(browser: object, base_url: str, language: str) -> None:
    texts = copied(browser, f"{base_url}{language}reader/", base_url)
    assert texts[0] == COMMANDS
    assert texts[1] == HEREDOCS
    assert texts[2] == "uname -s"


def test_the_chapter_copies_commands_only(browser: object, base_url: str) -> None:
    for language in ("", "fr/"):
        texts = copied(browser, f"{base_url}{language}create-docker-images/", base_url)
        assert len(texts) > 10, "the chapter has console blocks"
        for text in texts:
            assert not any(line.startswith("$ ") for line in text.split("\n")), text


def test_varying_lines_show_what_ran_masked_and_marked(browser: object, base_url: str) -> None:
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(f"{base_url}reader/")
    first = tab.locator("div.language-console").first.inner_text()
    varies = tab.locator("div.language-console .runner-varies").all_inner_texts()
    titles = tab.locator(".runner-varies").evaluate_all("els => els.map(e => e.title)")
    skipped = tab.locator(".runner-skipped").inner_text()
    failing = tab.locator(".runner-exit").inner_text()
    context.close()
    assert re.search(r"^20\d\d$", first, re.MULTILINE), first
    assert "token: ***" in first
    assert SECRET not in first
    assert "Linux" in varies  # the list item's block, from the run
    assert all("last verified run" in t for t in titles[:4]), titles
    assert skipped.endswith("needs a licence server: not verified here")
    assert failing == "Expected to fail: exits with status 3"
