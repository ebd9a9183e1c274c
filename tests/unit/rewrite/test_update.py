"""`runner update`: the alignment that keeps the author's lines, and whole pages rewritten."""

from __future__ import annotations

import re

import pytest

from guiderunner.match.align import align
from guiderunner.plan.expect import compile_line, compile_lines
from guiderunner.rewrite import rewrite_output, written


def rewrite(expected: list[str], actual: list[str], placeholders=None, regex=False) -> list[str]:
    values = placeholders or {}
    filled = [re.sub(r"<(\w+)>", lambda m: values.get(m[1], m[0]), line) for line in expected]
    patterns = compile_lines(filled, regex=regex)
    return list(rewrite_output(patterns, expected, actual, values, regex).lines)


# --- one output ------------------------------------------------------------------------------


def test_only_the_changed_line_is_rewritten():
    expected = [
        "start",
        "...",
        "id: ...",
        "took [0-9]+ ms (re)",
        "image <myorg>/app",
        "port 80",
        "end",
    ]
    actual = [
        "start",
        "noise",
        "more noise",
        "id: 42",
        "took 17 ms",
        "image stockkube/app",
        "port 8080",
        "end",
    ]
    new = rewrite(expected, actual, {"myorg": "stockkube"})
    assert new == [
        "start",
        "...",
        "id: ...",
        "took [0-9]+ ms (re)",
        "image <myorg>/app",
        "port 8080",
        "end",
    ]


def test_lines_are_inserted_and_removed():
    new = rewrite(["a", "gone", "c"], ["new first", "a", "c", "new last"])
    assert new == ["new first", "a", "c", "new last"]


def test_a_changed_last_line_is_replaced_not_swallowed_by_the_ellipsis():
    assert rewrite(["...", "Done"], ["building", "DONE!"]) == ["...", "DONE!"]
    edits = align([compile_line(t, regex=False) for t in ["...", "end"]], ["x", "y", "END"])
    assert [e.op for e in edits] == ["keep", "replace"]


def test_an_ellipsis_that_matches_nothing_stays():
    assert rewrite(["a", "...", "b"], ["a", "c"]) == ["a", "...", "c"]


def test_inserted_lines_get_their_placeholders_back():
    new = rewrite(
        ["old"],
        ["pushed localhost:5000/stockkube/app:1.0"],
        {"myorg": "stockkube", "internal-registry:5000": "localhost:5000"},
    )
    assert new == ["pushed <internal-registry:5000>/<myorg>/app:1.0"]


@pytest.mark.parametrize(
    ("line", "first", "regex", "written_as"),
    [
        ("$ looks like a command", False, False, "[$] looks like a command (re)"),
        ("> looks like a continuation", True, False, "[>] looks like a continuation (re)"),
        ("> fine after the first line", False, False, "> fine after the first line"),
        ("```", False, False, "[`]`` (re)"),
        ("ends the comment -->", False, False, "ends the comment --[>] (re)"),
        ("literal (re)", False, False, r"literal \(re\) (re)"),
        ("...", False, False, r"\.\.\. (re)"),
        ("a.b*c", False, True, r"a\.b\*c"),
        ("has ... inside", False, False, "has ... inside"),
    ],
)
def test_written_lines_read_back_as_a_match(line, first, regex, written_as):
    text = written(line, {}, regex, first=first)
    assert text == written_as
    pattern = compile_line(text, regex=regex)
    assert pattern.kind != "any-lines"
    assert pattern.regex.fullmatch(line) if pattern.regex else pattern.text == line


def test_regex_mode_keeps_matching_lines_and_escapes_new_ones():
    assert rewrite(["(Linux|Darwin)"], ["Linux", "v1.2"], regex=True) == [
        "(Linux|Darwin)",
        r"v1\.2",
    ]


@pytest.mark.parametrize(
    ("expected", "actual"),
    [
        (["took [0-9]+ ms (re)"], ["took 1.5 s"]),
        (["id: ... end"], ["id 42"]),
        (["a", "b [0-9] (re)"], ["a"]),
        (["v[0-9]+"], ["v1.2"]),  # every line of a regex block is the author's pattern
    ],
)
def test_a_pattern_that_stopped_matching_is_kept_and_reported(expected, actual):
    regex = expected == ["v[0-9]+"]
    patterns = compile_lines(expected, regex=regex)
    done = rewrite_output(patterns, expected, actual, {}, regex)
    assert list(done.lines) == expected
    assert done.stale
    assert [index for index, _ in done.stale] == [len(expected) - 1]


# --- whole pages -----------------------------------------------------------------------------

PAGE = """# Build

Prose with trailing spaces{trailing}
and a `$ dollar` line, untouched.

<!-- runner: timeout=30 -->
```console
$ printf 'start\\nnoise\\nid: 42\\nimage stockkube/app\\nport 8080\\nend\\n'
start
...
id: ...
image <myorg>/app
port 80
end
$ echo same
same
```

More prose.

<!-- runner: hidden
```console
$ echo hidden-new
hidden-old
```
-->

<!-- runner: skip="later" -->
```console
$ echo skipped
wrong but skipped
```
""".format(trailing="   ")


def test_update_rewrites_only_what_changed_and_then_passes(page, runner):
    path = page(PAGE)
    run = runner("update", "--set", "myorg=stockkube", path)
    assert run.status == 0, run.out
    new = path.read_text()
    assert new == PAGE.replace("port 80\n", "port 8080\n").replace("hidden-old", "hidden-new")
    assert "-port 80\n+port 8080\n" in run.out
    assert f"--- a/{path.name}" in run.out
    assert f"updated 2 steps in {path.name} (commands at lines 8, 23)" in run.out
    assert "FAIL" not in run.out + run.err
    again = runner("update", "--set", "myorg=stockkube", path)
    assert again.status == 0
    assert "no expected output to update" in again.out
    assert path.read_text() == new
    assert runner("verify", "--set", "myorg=stockkube", path).status == 0


def test_update_keeps_crlf_line_endings(page, runner):
    path = page("")
    path.write_bytes(b"Prose.\r\n\r\n```console\r\n$ echo new\r\nold\r\n```\r\n")
    run = runner("update", path)
    assert run.status == 0, run.out
    assert path.read_bytes() == b"Prose.\r\n\r\n```console\r\n$ echo new\r\nnew\r\n```\r\n"


def test_an_exit_status_still_wrong_fails_after_the_update(page, runner):
    path = page("```console\n$ echo new; false\nold\n```\n")
    run = runner("update", path)
    assert run.status == 1
    assert path.read_text() == "```console\n$ echo new; false\nnew\n```\n"
    assert f"still failing: {path.name}:2: exit status 1, expected 0" in run.out


def test_status_only_commands_and_errors_are_untouched(page, runner):
    text = "<!-- runner: timeout=1 -->\n```console\n$ echo a; sleep 5\nb\n```\n"
    path = page(text)
    run = runner("update", path)
    assert run.status == 1
    assert path.read_text() == text
    assert "no expected output to update" in run.out


def test_a_service_output_is_updated_under_its_command(page, runner):
    text = (
        '<!-- runner: service=s ready="second" -->\n```console\n'
        # Ready once both lines are out: bash's printf writes a terminal line by line, so a
        # stop right after `ready` may come before `second` (a reader's Ctrl-C would too).
        "$ printf 'ready\\nsecond\\n'; sleep 60\nready\nwrong\n...\n```\n\n"
        "<!-- runner: stop=s -->\n"
    )
    path = page(text)
    run = runner("update", path)
    assert run.status == 0, run.out
    assert path.read_text() == text.replace("wrong", "second")


def test_update_splits_a_heredoc_shown_without_prompts_as_planning_does(page, runner):
    # The heredoc's body has no `> `: only bash, asked line by line, tells it is the command's.
    text = "```console\n$ cat <<EOF | wc -l\none\ntwo\nEOF\n3\n```\n"
    path = page(text)
    run = runner("update", path)
    assert run.status == 0, run.out + run.err
    assert path.read_text() == text.replace("\n3\n", "\n2\n")


def test_update_rewrites_a_block_inside_a_content_tab_with_its_indent(page, runner):
    text = '=== "Linux"\n\n    ```console\n    $ echo new\n    old\n    ```\n'
    path = page(text)
    run = runner("update", path)
    assert run.status == 0, run.out
    assert path.read_text() == text.replace("    old\n", "    new\n")
