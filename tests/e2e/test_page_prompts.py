"""A page that sets its own prompt keeps its output and its status.

`PS1=...` or `unset PS1` in a step takes the runner's markers away; the runner re-arms bash,
and the re-arm line first records `$?` and the prompt as bash expands it, so the step's output
is what it printed minus that prompt and its status is its own. Before, such a step's output
was dropped and its status was 0: `PS1='$ '; false` passed.
"""

from __future__ import annotations

import pytest

PAGE_PROMPTS = """
# Prompts a page sets

```console
$ PS1='my prompt> '
$ echo one
one
$ PS1="[\\u] $PS1"
$ echo two
two
$ unset PS1
$ echo three; (exit 3)
three
[3]
$ PS1='$ '; echo four
four
$ PS1='> '; echo a; echo b
a
b
$ PS1='first line\\n\\w \\$ '; echo x
x
$ set -u; unset PS1; echo gone
gone
$ set +u; PS1='\\t $ '; printf 'no newline'
no newline
$ exec 2>/dev/null
$ false
[1]
$ echo five
five
```
"""

NESTED = """
# A nested bash

```console
$ bash --norc
$ echo inside
inside
$ (exit 4)
[4]
$ exit
exit
[4]
$ echo outside
outside
```
"""


def test_a_page_that_sets_its_prompt_keeps_output_and_status(page, runner):
    done = runner("verify", "--no-cache", page(PAGE_PROMPTS))
    assert done.status == 0, done.out
    assert "14 passed, 0 failed" in done.out, done.out


def test_a_nested_bash_and_its_exit_are_seen_as_a_reader_sees_them(page, runner):
    done = runner("verify", "--no-cache", page(NESTED))
    assert done.status == 0, done.out


@pytest.mark.parametrize(
    ("line", "status"),
    [("PS1='$ '; false", 1), ("unset PS1; (exit 7)", 7), ("PS1='x> '; ls /nonexistent", 2)],
)
def test_a_failure_on_the_line_that_sets_the_prompt_is_not_a_pass(page, runner, line, status):
    done = runner("verify", "--no-cache", page(f"# P\n\n```console\n$ {line}\n```\n"))
    assert done.status == 1, done.out
    assert f"exit status {status}" in done.out, done.out


def test_output_on_the_line_that_sets_the_prompt_is_compared(page, runner):
    text = "# P\n\n```console\n$ PS1='$ '; echo actual\nexpected\n```\n"
    done = runner("verify", "--no-cache", page(text))
    assert done.status == 1, done.out
    assert "+actual" in done.out, done.out
    assert "-expected" in done.out, done.out
