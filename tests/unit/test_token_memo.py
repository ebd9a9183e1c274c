"""Kept block tokens give back exactly what markdown-it gives, and nothing stale or broken.

Every Markdown page of the repository (the guide, the docs of the runner, the tests' pages)
is read three ways: by markdown-it, through a fresh memo, and through the memo read back from
its file; the tokens and the parsed guide must be the same each time.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from guiderunner.errors import GuideError
from guiderunner.markdown import block_tokens
from guiderunner.parse import parse_guide
from guiderunner.token_memo import TokenMemo, reader_key
from tests.conftest import ROOT

PAGES = sorted(
    p
    for folder in ("docs", "tests", "translations")
    if (ROOT / folder).is_dir()
    for p in (ROOT / folder).rglob("*.md")
)
TABBED = textwrap.dedent(
    """\
    # Tabs

    === "Linux"

        ```console
        $ echo linux
        linux
        ```

    <!-- runner: hidden
    ```console
    $ echo hidden
    hidden
    ```
    -->

    <!-- runner: when builder=legacy
    ```console
    $ echo x
    legacy
    ```
    -->
    ```console
    $ echo x
    x
    ```
    """
)


def read_twice(tmp_path: Path, page: Path, text: str) -> tuple[TokenMemo, TokenMemo]:
    """A memo that parsed and saved the text, and a second one reading the saved file."""
    first = TokenMemo.for_page(tmp_path, page)
    parse_guide(str(page), text, first.tokens)
    first.save()
    return first, TokenMemo.for_page(tmp_path, page)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_page_reads_the_same_through_the_memo(tmp_path, page):
    text = page.read_text(encoding="utf-8")
    assert PAGES  # the repository's pages were found
    fresh = block_tokens(text)
    first, second = read_twice(tmp_path, page, text)
    assert first.tokens(text) == fresh
    assert second.tokens(text) == fresh
    try:
        expected = parse_guide(str(page), text)
    except GuideError as error:  # pages of the tests that must fail fail the same way
        with pytest.raises(GuideError, match=str(error).split(": ", 1)[-1][:40]):
            parse_guide(str(page), text, second.tokens)
        return
    assert parse_guide(str(page), text, second.tokens) == expected


def test_inner_texts_are_kept_and_the_file_holds_only_what_the_last_read_used(tmp_path):
    page = tmp_path / "tabs.md"
    _, second = read_twice(tmp_path / "memo", page, TABBED)
    memo_file = next((tmp_path / "memo").glob("tokens-*.json"))
    texts = json.loads(memo_file.read_text(encoding="utf-8"))["texts"]
    assert len(texts) == 4  # the page, the tab's inside, the hidden and the `when` comments'
    assert parse_guide("p.md", TABBED, second.tokens) == parse_guide("p.md", TABBED)
    edited = TABBED.replace("echo x", "echo y")
    third = TokenMemo.for_page(tmp_path / "memo", page)
    assert parse_guide("p.md", edited, third.tokens) == parse_guide("p.md", edited)
    third.save()
    kept = json.loads(memo_file.read_text(encoding="utf-8"))["texts"]
    assert len(kept) == 4  # the old texts of the page and of its `when` comment went
    assert kept.keys() != texts.keys()


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        '{"reader": "another", "texts": {}}',
        "{reader}",
        '{"reader": "R", "texts": {"D": [["fence", [1], "x", "", "```"]]}}',
        '{"reader": "R", "texts": {"D": [["fence", [1, "2"], "x", "", "```"]]}}',
        '{"reader": "R", "texts": {"D": [["fence", null, 3, "", "```"]]}}',
        '{"reader": "R", "texts": {"D": [["fence", null, "x", ""]]}}',
        '{"reader": "R", "texts": {"D": "tokens"}}',
    ],
)
def test_a_broken_or_foreign_memo_is_read_past(tmp_path, content):
    text = "```console\n$ echo hi\nhi\n```\n"
    memo = TokenMemo.for_page(tmp_path, tmp_path / "p.md")
    memo.tokens(text)
    memo.save()
    memo_file = next(tmp_path.glob("tokens-*.json"))
    digest = next(iter(json.loads(memo_file.read_text(encoding="utf-8"))["texts"]))
    memo_file.write_text(
        content.replace('"R"', json.dumps(reader_key())).replace('"D"', f'"{digest}"'),
        encoding="utf-8",
    )
    again = TokenMemo.for_page(tmp_path, tmp_path / "p.md")
    assert again.tokens(text) == block_tokens(text)
    again.save()
    assert TokenMemo.for_page(tmp_path, tmp_path / "p.md").tokens(text) == block_tokens(text)


def test_without_a_folder_nothing_is_kept(tmp_path):
    memo = TokenMemo.for_page(None, tmp_path / "p.md")
    assert memo.tokens("# t\n") == block_tokens("# t\n")
    memo.save()
    assert list(tmp_path.iterdir()) == []


def test_the_reader_key_names_markdown_it_and_our_reader_without_importing_markdown_it():
    probe = "import sys; from guiderunner.token_memo import reader_key; k = reader_key(); "
    probe += "print(bool(k), 'markdown_it' in sys.modules, 'markdown_it' in k, "
    probe += "'guiderunner/markdown.py' in k)"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.split() == ["True", "False", "True", "True"]
