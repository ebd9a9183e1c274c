from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guiderunner.errors import GuideError
from guiderunner.model import Block, StopMark
from guiderunner.parse import parse_guide


def parse(text: str):
    return parse_guide("p.md", textwrap.dedent(text).lstrip("\n"))


def test_console_and_titled_blocks_are_executable_others_are_not():
    guide = parse(
        """
        # Title

        ```console
        $ echo hi
        hi
        ```

        ```dockerfile title="src/Dockerfile"
        FROM scratch
        ```

        ```csharp
        var x = 1;
        ```
        """
    )
    kinds = [(b.kind, b.lang, b.title, b.span.start, b.span.end) for b in guide.items]
    assert kinds == [
        ("console", "console", None, 3, 6),
        ("file", "dockerfile", "src/Dockerfile", 8, 10),
    ]
    assert guide.items[0].body == ("$ echo hi", "hi")


def test_directive_attaches_to_next_block():
    guide = parse(
        """
        <!-- runner: timeout=30 exit=2 regex -->
        ```console
        $ false
        ```
        """
    )
    options = guide.items[0].options
    assert (options.timeout, options.exit_status, options.regex) == (30.0, 2, True)


def test_service_and_stop():
    guide = parse(
        """
        <!-- runner: service=web ready="listening on" ready-timeout=5 -->
        ```console
        $ serve
        ```

        <!-- runner: stop=web -->
        """
    )
    block, stop = guide.items
    assert block.options.service.name == "web"
    assert block.options.service.ready == "listening on"
    assert block.options.service.ready_timeout == 5.0
    assert stop == StopMark(stop.span, "web")
    assert stop.span.start == 6


def test_hidden_block_keeps_its_lines_and_options():
    guide = parse(
        """
        intro

        <!-- runner: hidden timeout=9
        ```console
        $ echo secret
        secret
        ```
        -->
        """
    )
    (block,) = guide.items
    assert isinstance(block, Block)
    assert block.hidden is True
    assert block.options.timeout == 9.0
    assert block.span.start == 4
    assert block.body == ("$ echo secret", "secret")


def test_plain_html_comments_are_ignored():
    guide = parse(
        """
        <!-- just a note -->
        ```console
        $ true
        ```
        """
    )
    assert guide.items[0].options.timeout is None


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("```console\n$ echo\n", 1, "never closed"),
        (
            "text\n\n<!-- runner: bogus=1 -->\n```console\n$ a\n```\n",
            3,
            "unknown directive `bogus`",
        ),
        ("<!-- runner: timeout=soon -->\n```console\n$ a\n```\n", 1, "wants seconds"),
        ("<!-- runner: exit=300 -->\n```console\n$ a\n```\n", 1, "from 0 to 255"),
        ("<!-- runner: output=none -->\n```console\n$ a\n```\n", 1, "strict or any"),
        ("<!-- runner: skip -->\n```console\n$ a\n```\n", 1, "takes a value"),
        ("<!-- runner: regex=yes -->\n```console\n$ a\n```\n", 1, "takes no value"),
        ('<!-- runner: skip="unclosed -->\n```console\n$ a\n```\n', 1, "malformed directive"),
        ("<!-- runner: timeout=3 -->\n\nJust prose.\n", 1, "must stand just before"),
        ("<!-- runner: timeout=3 -->\n", 1, "has no block"),
        ("<!-- runner: stop=web timeout=3 -->\n", 1, "stands alone"),
        ("<!-- runner: service=web -->\n```console\n$ a\n```\n", 1, "needs `ready=PATTERN`"),
        ("<!-- runner: ready=x -->\n```console\n$ a\n```\n", 1, "goes with `service`"),
        ("<!-- runner: unless=X -->\n```console\n$ a\n```\n", 1, "goes with `skip`"),
        ('<!-- runner: timeout=3 -->\n```text title="a"\nx\n```\n', 1, "takes only"),
        ("<!-- runner: note -->\n```console\n$ a\n```\n", 1, "`note` takes a text"),
        ("<!-- runner: note=\n```console\n$ a\n```\n-->\n", 1, "`note` takes a value"),
        ("<!-- runner: note Ask them -->\n\nJust prose.\n", 1, "must stand just before"),
        ("<!-- runner: hidden\n```console\n$ a\n```\n", 1, "never closed with -->"),
        ("<!-- runner: hidden\n```console\n$ a\n``` -->\n", 1, "line of its own"),
        ("<!-- runner: timeout=3\n```console\n$ a\n```\n-->\n", 2, "needs `hidden`"),
        ("Prose.\n\n    ```console\n    $ a\n    ```\n", 3, "only in a content tab"),
        ('=== "Linux"\n\n    ```console\n    $ a\n\nprose\n', 3, "never closed"),
        (
            '=== "Linux"\n\n    <!-- runner: skip -->\n    ```console\n    $ a\n    ```\n',
            3,
            "a value",
        ),
        ("> ```console\n> $ a\n\nprose\n", 1, "never closed"),
        (
            "<!-- runner: when builder=legacy\n```console\n$ a\n```\n-->\n\nprose\n",
            1,
            "just before a console block",
        ),
        ("<!-- runner: when\n```console\n$ a\n```\n-->\n```console\n$ a\n```\n", 1, "KEY=VALUE"),
        (
            "<!-- runner: when builder\n```console\n$ a\n```\n-->\n```console\n$ a\n```\n",
            1,
            "KEY=VALUE",
        ),
        ("<!-- runner: when builder=x -->\n```console\n$ a\n```\n", 1, "holds a console block"),
    ],
)
def test_invalid_guides_name_the_line(text: str, line: int, message: str):
    with pytest.raises(GuideError) as caught:
        parse_guide("p.md", text)
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"p.md:{line}: ")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "```console",
                "```",
                "~~~",
                "$ echo a",
                "a",
                "",
                "<!-- runner: hidden",
                "-->",
                "<!-- runner: timeout=3 -->",
                "<!-- x -->",
                "    ```console",
                "> b",
                "- item",
                '```text title="f"',
                "<!-- runner: stop=s -->",
                "# h",
                "<!--",
            ]
        ),
        max_size=25,
    )
)
def test_parser_never_crashes_on_odd_markdown(lines: list[str]):
    text = "\n".join(lines)
    try:
        guide = parse_guide("p.md", text)
    except GuideError as error:
        caught: GuideError | None = error
    else:
        caught = None
        assert all(item.span.start >= 1 for item in guide.items)
    if caught is not None:
        assert 1 <= caught.line <= len(lines) + 1


def test_a_note_is_the_rest_of_its_comment_as_written():
    guide = parse_guide(
        "p.md",
        '<!-- runner: note Why it\'s "slow":\n   the cache -->\n```console\n$ a\n```\n\n'
        '<!-- runner: timeout=3 note="Short one" -->\n```console\n$ b\n```\n\n'
        '<!-- runner: note Shown with the file -->\n```text title="f"\nx\n```\n',
    )
    notes = [(i.options.note, i.options.timeout) for i in guide.items if isinstance(i, Block)]
    assert notes == [
        ('Why it\'s "slow": the cache', None),
        ("Short one", 3.0),
        ("Shown with the file", None),
    ]
