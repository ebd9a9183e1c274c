"""Strict output, the `[N]` exit status line and content tabs: planned, then run by `verify`."""

from __future__ import annotations

import pytest

from guiderunner.errors import GuideError
from guiderunner.model import Command
from guiderunner.parse import parse_guide
from guiderunner.plan import PlanSettings, plan_guide


def plan(text: str, **settings: object):
    base = PlanSettings(timeout=20, ready_timeout=10, placeholders={}, sample=None, environ={})
    chosen = PlanSettings(**{**{f: getattr(base, f) for f in base.__slots__}, **settings})
    return plan_guide(parse_guide("p.md", text), chosen)


def commands(text: str, **settings: object) -> list[Command]:
    return [s for s in plan(text, **settings).steps if isinstance(s, Command)]


def test_the_status_line_is_the_status_not_output():
    page = (
        "```console\n$ grep -q x /dev/null\n[1]\n$ echo a\na\n[0]\n\n$ echo '[2] x'\n[2] x\n```\n"
    )
    first, second, third = commands(page)
    assert (first.exit_status, first.expected) == (1, ())
    assert (second.exit_status, [p.text for p in second.expected]) == (0, ["a"])
    assert (third.exit_status, [p.text for p in third.expected]) == (0, ["[2] x"])


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("```console\n$ a\n[256]\n```\n", 3, "above 255"),
        ("<!-- runner: exit=2 -->\n```console\n$ a\n[1]\n```\n", 4, "`exit=2` in the directive"),
        (
            '<!-- runner: service=s ready="r" -->\n```console\n$ s\n[1]\n```\n',
            3,
            "no exit status line",
        ),
    ],
)
def test_a_wrong_status_line_names_its_line(text: str, line: int, message: str):
    with pytest.raises(GuideError) as error:
        plan(text)
    assert error.value.line == line
    assert message in str(error.value)


def test_strict_output_by_setting_and_by_block():
    page = "```console\n$ a\n```\n\n<!-- runner: output=any -->\n```console\n$ b\n```\n"
    page += "\n<!-- runner: output=strict -->\n```console\n$ c\n```\n"
    assert [c.strict_output for c in commands(page)] == [False, False, True]
    assert [c.strict_output for c in commands(page, strict_output=True)] == [True, False, True]


TABS = """\
=== "Linux"

    ```console
    $ uname -s
    Linux
    ```

=== "macOS"

    <!-- runner: skip="own reason" -->
    ```console
    $ sw_vers
    ```

=== "Docker"

    ```console
    $ echo in docker
    in docker
    ```

===! "Windows"

    ```console
    $ ver
    ```
"""


def test_tab_blocks_are_steps_and_other_platforms_are_skipped():
    found = commands(TABS, facts={"builder": "buildkit", "platform": "linux"})
    assert [(c.span.start, c.skip) for c in found] == [
        (4, None),
        (12, "own reason"),
        (18, None),
        (25, 'the "Windows" tab is for Windows; this machine runs Linux'),
    ]
    on_mac = commands(TABS, facts={"builder": "buildkit", "platform": "macos"})
    assert on_mac[0].skip == 'the "Linux" tab is for Linux; this machine runs macOS'
    mapped = commands(
        TABS, facts={"builder": "buildkit", "platform": "linux"}, platform_tabs={"Docker": "macos"}
    )
    assert mapped[2].skip == 'the "Docker" tab is for macOS; this machine runs Linux'


def test_tabs_form_sets():
    blocks = parse_guide("p.md", TABS).items
    assert [b.tab.set_line for b in blocks] == [1, 1, 1, 22]


def test_verify_runs_the_new_forms(page, runner):
    text = TABS + "\n<!-- runner: output=strict -->\n```console\n$ echo oops\n$ false\n[1]\n```\n"
    path = page(text)
    run = runner("verify", "--no-cache", path)
    assert run.status == 1
    assert "printed output; none expected (strict)" in run.out
    assert "+oops" in run.out
    path.write_text(text.replace("$ echo oops\n", "$ echo oops\noops\n"))
    run = runner("verify", "--no-cache", path)
    assert run.status == 0, run.out
    assert '[the "Windows" tab is for Windows; this machine runs Linux]' in run.out
