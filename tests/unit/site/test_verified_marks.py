"""The "verified" marks: one under each shown console block, at its first step's time."""

from __future__ import annotations

import re
import textwrap

import pytest

from guiderunner.site.markup import strip_runner_comments
from guiderunner.site.verified_marks import WORDS, add_verified_marks, block_times

PAGE = textwrap.dedent(
    """\
    # Page

    <!-- runner: timeout=30 -->
    ```console
    $ echo one
    one
    $ echo two
    two
    ```

    <!-- runner: hidden
    ```console
    $ echo hidden
    hidden
    ```
    -->

    ```python title="app.py"
    print("a file, not a console block")
    ```

    1. In a list:

        ```console
        $ echo three
        three
        ```
    2. Next.

    <!-- runner: skip="needs credentials" -->
    ```console
    $ docker login
    ```
    """
)
STEPS = {5: 1.0, 7: 2.0, 13: 2.5, 25: 3.0}
"""Markers by step line, as a recording holds them (the hidden block's step ran too)."""


def test_each_shown_console_block_gets_its_first_steps_time():
    assert block_times(PAGE, STEPS) == (1.0, 3.0, None)


def test_marks_go_under_their_blocks_with_their_indentation():
    marked = add_verified_marks(PAGE, block_times(PAGE, STEPS), WORDS["en"]).split("\n")
    marks = [(n, line) for n, line in enumerate(marked) if "verified-mark" in line]
    assert len(marks) == 2
    (first, first_line), (second, second_line) = marks
    assert marked[first - 2 : first] == ["```", ""]
    assert first_line.startswith('<a class="verified-mark" href="#recording"')
    assert 'data-recording-time="1.0"' in first_line
    assert marked[second - 2] == "    ```"
    assert second_line.startswith('    <a class="verified-mark"')
    assert 'data-recording-time="3.0"' in second_line
    assert marked[second + 1] == "", "the list's next item stays apart"


def test_directives_still_belong_to_their_blocks():
    marked = add_verified_marks(PAGE, block_times(PAGE, STEPS), WORDS["en"])
    assert block_times(marked, {}) == (None, None, None)
    assert strip_runner_comments(marked).count("verified-mark") == 2


def test_a_translation_takes_the_sources_times_in_order():
    french = PAGE.replace("# Page", "# Page\n\nUne phrase de plus,\nsur deux lignes.")
    marked = add_verified_marks(french, block_times(PAGE, STEPS), WORDS["fr"])
    assert marked.count("✓ vérifié") == 2
    assert "voir cette étape (0:03)" in marked


def test_a_translation_with_other_blocks_gets_no_marks():
    french = PAGE + "\n```console\n$ echo extra\n```\n"
    assert add_verified_marks(french, block_times(PAGE, STEPS), WORDS["fr"]) == french


def test_rendered_the_mark_is_a_link_beside_an_intact_block():
    markdown = pytest.importorskip("markdown")
    pytest.importorskip("pymdownx")
    marked = add_verified_marks(PAGE, block_times(PAGE, STEPS), WORDS["en"])
    html = markdown.markdown(strip_runner_comments(marked), extensions=["pymdownx.superfences"])
    assert html.count('<a class="verified-mark"') == 2
    assert html.count('<p><a class="verified-mark"') == 2, "a paragraph of its own"
    text = re.sub(r"<[^>]+>", "", html)
    assert "$ echo three\nthree" in text, "the block in the list is still a block"
    in_list = html[html.index("<ol>") : html.index("</ol>")]
    assert 'data-recording-time="3.0"' in in_list, "its mark stays in the list item"
    assert "&lt;a class" not in html, "never shown as code"
