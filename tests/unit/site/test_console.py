"""Console blocks as a reader gets them: copy text, what ran, neutral lines, notes."""

from __future__ import annotations

import base64
import re
import textwrap

from guiderunner.site.console import CONSOLE_WORDS, finish_html, present
from guiderunner.site.outputs import Run
from guiderunner.site.readable import END, NEUTRAL, RAN

PAGE = textwrap.dedent(
    """\
    # Page

    ```console
    $ printf '%s\\n' a \\
    >   b
    a
    b
    $ cat <<'EOF' > x.txt
    > one $HOME
    > EOF
    $ date +%Y
    [0-9]{4} (re)
    ```

    <!-- runner: hidden
    ```console
    $ echo hidden
    ```
    -->

    1. In a list:

        ~~~console title="Terminal"
        $ seq 1 3
        1
        ...
        ~~~

    > ```console
    > $ echo quoted
    > took ... ms
    > ```

    <!-- runner: skip="needs the network" -->
    ```console
    $ curl https://example.com
    <html>...</html>
    ```

    <!-- runner: exit=3 -->
    ```console
    $ false
    ```
    Text right under.
    """
)


def _copies(markdown: str) -> list[str]:
    found = re.findall(r'data-runner-copy="([^"]*)"', markdown)
    return [base64.b64decode(f).decode() for f in found]


def test_each_shown_block_copies_its_commands_as_typed() -> None:
    shown = present(PAGE, [], CONSOLE_WORDS)
    assert _copies(shown) == [
        "printf '%s\\n' a \\\n  b\ncat <<'EOF' > x.txt\none $HOME\nEOF\ndate +%Y",
        "seq 1 3",
        "echo quoted",
        "curl https://example.com",
        "false",
    ]
    assert "$ echo hidden" in shown  # hidden blocks are left to strip_runner_comments
    assert '    ~~~ { .console .language-console data-runner-copy="' in shown
    assert 'title="Terminal" }' in shown


def test_without_runs_varying_lines_are_neutral_and_marked() -> None:
    shown = present(PAGE, [], CONSOLE_WORDS)
    assert f"\n{NEUTRAL}<varies>{END}\n" in shown
    assert f"\n    {NEUTRAL}…{END}\n" in shown  # indented like its list item's fence
    assert f"\n> {NEUTRAL}took … ms{END}\n" in shown  # inside its blockquote
    assert f"{NEUTRAL}<html>…</html>{END}" in shown
    for pattern in ("(re)", "[0-9]{4}", "\n...\n"):
        assert pattern not in shown


def test_runs_fill_varying_lines_when_the_command_is_the_same() -> None:
    runs = [
        [
            Run("printf '%s\\n' a \\\n  b", "a\r\nb\r\n", "passed"),
            Run("cat <<'EOF' > x.txt\none $HOME\nEOF", "", "passed"),
            Run("date +%Y", "\x1b[1m2031\x1b[0m\r\n", "passed"),
        ],
        [Run("seq 1 3", "1\n2\n3\n", "passed")],
        [Run("echo something else", "took 5 ms\n", "passed")],
    ]
    shown = present(PAGE, runs, CONSOLE_WORDS)
    assert f"\n{RAN}2031{END}\n" in shown
    assert f"\n    1\n    {RAN}2{END}\n    {RAN}3{END}\n" in shown
    assert f"{NEUTRAL}took … ms{END}" in shown  # another command's run is not used


def test_a_run_that_does_not_match_or_did_not_pass_is_not_shown() -> None:
    runs = [[None, None, Run("date +%Y", "not a year\n", "passed")]]
    assert f"{NEUTRAL}<varies>{END}" in present(PAGE, runs, CONSOLE_WORDS)
    runs = [[None, None, Run("date +%Y", "2031\n", "failed")]]
    assert "2031" not in present(PAGE, runs, CONSOLE_WORDS)


def test_a_long_ellipsis_shows_its_ends_and_a_count() -> None:
    page = "```console\n$ seq 1 30\n1\n...\n30\n```\n"
    run = Run("seq 1 30", "\n".join(map(str, range(1, 31))), "passed")
    lines = present(page, [[run]], CONSOLE_WORDS).split("\n")
    shown = [line.strip(RAN + END) for line in lines[2:-2]]
    assert shown == ["1", "2", "3", "4", "… 22 more lines", "27", "28", "29", "30"]


def test_skipped_and_failing_blocks_say_so_apart_from_the_text_below() -> None:
    shown = present(PAGE, [], CONSOLE_WORDS)
    skipped = "Not run when this page is verified: needs the network"
    assert f'\n```\n\n<span class="runner-note runner-skipped">{skipped}</span>\n' in shown
    failing = "Expected to fail: exits with status 3"
    assert f'<span class="runner-note runner-exit">{failing}</span>\n\nText right under.' in shown


def test_a_skipped_block_that_ran_says_nothing_and_reasons_are_translated() -> None:
    runs: list[list[Run | None]] = [
        [],
        [],
        [],
        [Run("curl https://example.com", "<html>x</html>", "passed")],
    ]
    assert "runner-skipped" not in present(PAGE, runs, CONSOLE_WORDS)
    from dataclasses import replace

    french = replace(
        CONSOLE_WORDS,
        not_run="Non exécuté : {reason}",
        reasons={"needs the network": "demande le réseau"},
    )
    assert "Non exécuté : demande le réseau" in present(PAGE, [], french)


def test_finish_html_writes_the_copy_text_and_the_marks_escaped() -> None:
    encoded = base64.b64encode(b"echo \"<a>\" & 'b'\nls").decode()
    html = f'<div data-runner-copy="{encoded}"><span class="go">{RAN}x &lt; y{END}</span></div>'
    done = finish_html(html, CONSOLE_WORDS)
    assert 'data-copy="echo &quot;&lt;a&gt;&quot; &amp; &#x27;b&#x27;\nls"' in done
    title = "Varies from run to run: as the last verified run printed it"
    marked = f'<span class="runner-varies" title="{title}">x &lt; y</span>'
    assert f'<span class="go">{marked}</span>' in done


def test_a_page_without_console_blocks_is_unchanged() -> None:
    page = "# T\n\n```python\nprint(1)\n```\n"
    assert present(page, [], CONSOLE_WORDS) == page
