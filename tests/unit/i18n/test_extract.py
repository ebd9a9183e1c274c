"""Markdown -> segments: prose only, with positions that let the page be rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest

from guiderunner.i18n.apply import translate_page
from guiderunner.i18n.extract import extract_segments, plain_text
from guiderunner.i18n.slug import slugify
from guiderunner.markdown import directive_lines

PROJECT = Path(__file__).resolve().parents[2] / "fixtures" / "i18n" / "project"
GUIDE = (PROJECT / "docs" / "guide.md").read_text(encoding="utf-8")


def _texts(markdown: str) -> list[str]:
    return [segment.text for segment in extract_segments(markdown)]


def test_segments_cover_headings_paragraphs_lists_tables_terms_and_titles() -> None:
    kinds = {(s.kind, s.text) for s in extract_segments(GUIDE)}
    assert ("heading", "Build the `stockdata` image") in kinds
    assert ("paragraph", "`-t stockdata:1.0.0` names the image, tag included.") in kinds
    assert ("cell", "Meaning") in kinds
    assert ("paragraph", "Makes `/src` the current folder.") in kinds
    assert ("title", "Same distribution") in kinds
    assert ("paragraph", "The image listens on port 8080 since .NET 8.") in kinds


def test_code_directives_hidden_blocks_and_front_matter_are_never_messages() -> None:
    texts = " ".join(_texts(GUIDE))
    for never in (
        "hello from the container",
        "mkdir -p demo",
        "runner:",
        "FROM mcr",
        "indented code",
        "exercises every kind",
        "WORKDIR /src`",
        "`10.0`",
    ):
        assert never not in texts


def test_inline_code_links_and_urls_stay_in_the_message_as_markdown() -> None:
    (message,) = [t for t in _texts(GUIDE) if t.startswith("Docker builds")]
    assert message == (
        "Docker builds an image from a Dockerfile. Run `docker build` as the "
        "[reference](https://docs.docker.com/reference/cli/docker/buildx/build/) shows."
    )


def test_positions_point_at_the_source_text() -> None:
    for segment in extract_segments(GUIDE):
        source = GUIDE[segment.start : segment.end]
        if segment.implicit:
            assert source == ""
        else:
            assert " ".join(source.split()) == " ".join(segment.text.split())
        assert GUIDE.split("\n")[segment.line - 1].strip()


def test_a_default_admonition_title_is_an_insertion_point() -> None:
    (title,) = [s for s in extract_segments(GUIDE) if s.implicit]
    assert (title.kind, title.text, title.line) == ("title", "Note", 29)
    assert GUIDE[title.start - len("!!! note") : title.start] == "!!! note"


def test_headings_get_the_ids_mkdocs_gives_them_duplicates_numbered() -> None:
    anchors = [s.anchor for s in extract_segments(GUIDE) if s.kind == "heading"]
    assert anchors == ["build-the-stockdata-image", "options", "options_1"]


def test_an_explicit_heading_id_is_kept_and_reserved() -> None:
    page = "# Intro {#options}\n\n## Options\n"
    segments = extract_segments(page)
    assert [(s.text, s.anchor) for s in segments] == [("Intro", None), ("Options", "options_1")]


def test_multi_line_list_items_keep_their_indent_for_continuation_lines() -> None:
    (item,) = [s for s in extract_segments(GUIDE) if s.text.startswith("`-t")]
    assert item.indent == "  "
    (body,) = [s for s in extract_segments(GUIDE) if s.text.startswith("The image listens")]
    assert body.indent == "    "


def test_directive_lines_cover_directives_and_whole_hidden_blocks() -> None:
    lines = GUIDE.split("\n")
    ranges = directive_lines(GUIDE)
    assert [lines[start] for start, _ in ranges] == [
        "<!-- runner: hidden",
        "<!-- runner: timeout=60 -->",
        '<!-- runner: skip="needs an account" unless=TOKEN -->',
    ]
    assert lines[ranges[0][1] - 1] == "-->"


def test_runner_comments_shown_as_examples_in_code_are_not_directives() -> None:
    page = "Example:\n\n````markdown\n<!-- runner: timeout=5 -->\n```console\n$ true\n```\n````\n"
    assert directive_lines(page) == ()


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("The `build` stage, line by line", "the-build-stage-line-by-line"),
        (
            "Keep build output out of the image: `.dockerignore`",
            "keep-build-output-out-of-the-image-dockerignore",
        ),
        ("Microsoft's .NET images", "microsofts-net-images"),
        ("*Run* [StockData](x.md) &amp; more", "run-stockdata-more"),
    ],
)
def test_slugs_match_the_toc_extension(markdown: str, expected: str) -> None:
    assert slugify(plain_text(markdown)) == expected


@pytest.mark.parametrize(
    "markdown",
    ["", "```\nunclosed", "| a |\n|", "!!!", '!!! note "', "- \n-", "<!-- runner:", "#", "\t\t>"],
)
def test_odd_markdown_never_crashes(markdown: str) -> None:
    for segment in extract_segments(markdown):
        assert 0 <= segment.start <= segment.end <= len(markdown)


TABS = """A set of tabs.

=== "Linux"

    ```console
    $ uname -s
    Linux
    ```

===! "Pas de \\"quote\\""

    Text.

=== Not a tab title
"""


def test_a_content_tab_title_is_a_title_and_its_quotes_stay() -> None:
    segments = [s for s in extract_segments(TABS) if s.kind == "title"]
    assert [(s.text, s.line) for s in segments] == [("Linux", 3)]
    page = translate_page(TABS, extract_segments(TABS), {"Linux": "Linux (Ubuntu)"})
    assert '=== "Linux (Ubuntu)"\n\n    ```console\n    $ uname -s\n    Linux\n' in page
    assert "=== Not a tab title" in _texts(TABS)
