"""Planning pages written the way real projects write them (issue 13, items 6, 10, 14)."""

from __future__ import annotations

import textwrap

import pytest

from guiderunner.errors import GuideError
from guiderunner.parse import parse_guide
from guiderunner.plan import PlanSettings, plan_guide
from guiderunner.plan.commands import questions


def plan(text: str, *, placeholders=None, facts=None, reader: bool = False):
    guide = parse_guide("p.md", textwrap.dedent(text).lstrip("\n"))
    extra = {"facts": facts} if facts is not None else {}
    settings = PlanSettings(
        timeout=7.0,
        ready_timeout=11.0,
        placeholders=placeholders or {},
        sample=None,
        environ={},
        reader=reader,
        **extra,
    )
    return plan_guide(guide, settings)


def shape(text: str, **kwargs):
    return [(s.text, [p.text for p in s.expected]) for s in plan(text, **kwargs).steps]


# --- item 6: `> ` lines continue a command only while bash says it is incomplete -----------


def test_github_style_output_lines_are_output_not_commands():
    assert shape("```console\n$ echo '> hi'\n> hi\n$ printf '> a\\n> b\\n'\n> a\n> b\n```\n") == [
        ("echo '> hi'", ["> hi"]),
        ("printf '> a\\n> b\\n'", ["> a", "> b"]),
    ]


@pytest.mark.parametrize(
    ("lines", "typed"),
    [
        (["$ echo 'one", "> two'"], "echo 'one\ntwo'"),
        (["$ cat <<'EOF'", "> body", ">", "> EOF"], "cat <<'EOF'\nbody\n\nEOF"),
        (["$ printf 'a\\n' |", "> tr a b"], "printf 'a\\n' |\ntr a b"),
        (["$ true &&", "> echo ok"], "true &&\necho ok"),
        (["$ for x in 1 2; do", ">   echo $x", "> done"], "for x in 1 2; do\n  echo $x\ndone"),
        (['$ echo "$(printf', '> x)"'], 'echo "$(printf\nx)"'),
    ],
)
def test_incomplete_commands_take_their_continuation_lines(lines: list[str], typed: str):
    (step,) = plan("```console\n" + "\n".join(lines) + "\n```\n").steps
    assert step.text == typed
    assert step.span.end == step.span.start + len(lines) - 1


def test_output_after_a_heredoc_that_looks_like_a_prompt_is_output():
    assert shape("```console\n$ cat <<EOF\n> x\n> EOF\nx\n> not typed\n```\n") == [
        ("cat <<EOF\nx\nEOF", ["x", "> not typed"])
    ]


def test_questions_are_the_prefixes_before_each_continuation_line():
    # The last one is foreseen too: `a |` might still be open after `c` (bash answers no).
    assert questions(["$ a |", "> b &&", "> c", "out", "> more"]) == [
        "a |",
        "a |\nb &&",
        "a |\nb &&\nc",
    ]


def test_a_heredoc_shown_without_continuation_prompts_is_one_command():
    # Docker's docs show a heredoc's body as it is, with no `> ` before its lines.
    steps = plan(
        "```console\n$ cat <<EOF | wc -l\none\ntwo\nEOF\n2\n$ echo next\nnext\n```\n"
    ).steps
    assert [s.text for s in steps] == ["cat <<EOF | wc -l\none\ntwo\nEOF", "echo next"]


def test_an_incomplete_command_without_continuation_lines_is_an_error():
    with pytest.raises(GuideError, match="incomplete"):
        plan("```console\n$ echo 'open\nstill open\n```\n")


# --- item 10: angle brackets that are shell or text -------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        "$ cat <<'EOF' > index.html\n> <html><body><title>x</title></body></html>\n> EOF",
        "$ cat > page.html <<EOF\n> <p>$HOME</p>\n> EOF",
        "$ echo hi  # then set <version> in the file",
        "$ sort <in>out",
        "$ cat <<EOF>out\n> text\n> EOF",
        "$ tr a-z A-Z <words.txt>upper.txt",
        "$ grep -c '<h1>' x || true",
    ],
)
def test_angle_brackets_the_shell_reads_as_text_or_redirections_are_left_alone(command: str):
    text = "```console\n$ printf 'a\\n' > in\n$ touch words.txt x\n" + command + "\n```\n"
    steps = plan(text).steps
    assert steps[-1].text.replace("\n", "") == "".join(
        line[2:] if line.startswith(("$ ", "> ")) else line for line in command.split("\n")
    )


@pytest.mark.parametrize(
    ("command", "line", "name"),
    [
        ("$ docker push <myorg>/stockdata", 2, "myorg"),
        ("$ docker tag app <registry>:5000/app", 2, "registry"),
        ("$ echo start \\\n    <version>.tar", 3, "version"),
        ("$ cat <<EOF > f\n> body\n> EOF\n$ docker pull <image>", 5, "image"),
        ("$ docker run ghcr.io/<owner>/app", 2, "owner"),
    ],
)
def test_a_forgotten_placeholder_still_stops_the_plan_at_the_line_of_the_tag(
    command: str, line: int, name: str
):
    with pytest.raises(GuideError) as caught:
        plan("```console\n" + command + "\n```\n")
    assert (caught.value.line, caught.value.message) == (line, f"placeholder <{name}> has no value")


def test_placeholders_with_values_are_filled_even_in_heredoc_bodies():
    (step,) = plan(
        "```console\n$ cat <<'EOF'\n> image: <myorg>/app\n> EOF\nimage: <myorg>/app\n```\n",
        placeholders={"myorg": "acme"},
    ).steps
    assert step.text == "cat <<'EOF'\nimage: acme/app\nEOF"
    assert step.expected[0].text == "image: acme/app"


# --- item 14 ------------------------------------------------------------------------------


def test_a_bare_prompt_with_nothing_under_it_is_an_idle_prompt():
    assert shape("```console\n$ echo a\na\n$\n```\n") == [("echo a", ["a"])]
    assert shape("```console\n$ \n$ echo b\nb\n$ \n```\n") == [("echo b", ["b"])]


def test_an_empty_title_says_so():
    with pytest.raises(GuideError, match="`title` is empty"):
        plan('```text title=""\nx\n```\n')


# --- `when`: output that differs by environment -------------------------------------------

WHEN_PAGE = """
<!-- runner: when builder=legacy
```console
$ build
Successfully tagged app:1
```
-->
<!-- runner: when builder=other
```console
$ build
other output
```
-->
```console
$ build
=> naming to docker.io/library/app:1
```
"""


@pytest.mark.parametrize(
    ("builder", "expected"),
    [
        ("buildkit", "=> naming to docker.io/library/app:1"),
        ("legacy", "Successfully tagged app:1"),
        ("other", "other output"),
    ],
)
def test_when_picks_the_output_of_the_run_s_environment(builder: str, expected: str):
    (step,) = plan(WHEN_PAGE.replace("build\n", "echo\n"), facts={"builder": builder}).steps
    assert [p.text for p in step.expected] == [expected]
    assert step.span.start == 14
    assert step.shown == "$ echo"


def test_default_facts_are_buildkit():
    (step,) = plan(WHEN_PAGE.replace("build\n", "echo\n")).steps
    assert step.expected[0].text.startswith("=> naming")


def test_when_must_hold_the_same_commands():
    text = WHEN_PAGE.replace("build\n", "echo\n").replace("$ echo\nother", "$ echo x\nother")
    with pytest.raises(GuideError) as caught:
        plan(text)
    assert caught.value.line == 9
    assert "same commands" in caught.value.message


def test_when_keys_are_checked_against_the_known_facts():
    text = "<!-- runner: when os=mac\n```console\n$ true\n```\n-->\n```console\n$ true\n```\n"
    with pytest.raises(GuideError) as caught:
        plan(text, facts={"builder": "buildkit"})
    assert caught.value.line == 1
    assert caught.value.message == "unknown fact `os` in `when` (known: builder)"


def test_when_with_several_facts_needs_all_of_them():
    text = (
        "<!-- runner: when builder=legacy arch=arm64\n```console\n$ true\nA\n```\n-->\n"
        "```console\n$ true\nB\n```\n"
    )
    facts = {"builder": "legacy", "arch": "amd64"}
    assert shape(text, facts=facts) == [("true", ["B"])]
    assert shape(text, facts={**facts, "arch": "arm64"}) == [("true", ["A"])]


# --- a reader's run --------------------------------------------------------------------------


def test_a_reader_s_plan_leaves_hidden_blocks_out():
    text = (
        "<!-- runner: hidden\n```console\n$ touch setup\n```\n-->\n\n"
        "```console\n$ ls setup\nsetup\n```\n"
    )
    assert [s.text for s in plan(text).steps] == ["touch setup", "ls setup"]
    assert [s.text for s in plan(text, reader=True).steps] == ["ls setup"]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("```console\n$ sudo -i\n# apt-get update\n```\n", 3),
        ("```console\n$ su -\nPassword:\n# whoami\nroot\n```\n", 4),
        ("```console\n$ docker exec -it box sh\nroot@box:/# ls\nbin\n```\n", 3),
    ],
)
def test_prompt_lines_of_a_nested_shell_are_named(text: str, line: int):
    (notice,) = plan(text).notices
    assert notice.span.start == line
    assert "not run" in notice.message


def test_comment_lines_in_a_file_s_output_are_not_prompts():
    assert (
        plan("```console\n$ printf '# syntax\\nFROM x\\n'\n# syntax\nFROM x\n```\n").notices == ()
    )


def test_one_bash_answers_every_question_even_after_a_fatal_parse_error():
    from guiderunner.plan.bash import BashParser

    with BashParser() as bash:
        answers = bash.incomplete(['echo "$(ls', "echo ok", "cat <<EOF", "echo a; fi", "x |"])
        assert answers == [True, False, True, False, True]
        assert bash.parse(["echo a; fi", "true"]) == ["unexpected token `fi'", ""]
