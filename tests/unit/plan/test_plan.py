from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from guiderunner.errors import GuideError
from guiderunner.model import Command, StartService, StopService, WriteFile
from guiderunner.parse import parse_guide
from guiderunner.plan import PlanSettings, plan_guide


def plan(text: str, *, placeholders=None, sample: Path | None = None, environ=None):
    guide = parse_guide("p.md", textwrap.dedent(text).lstrip("\n"))
    settings = PlanSettings(
        timeout=7.0,
        ready_timeout=11.0,
        placeholders=placeholders or {},
        sample=sample,
        environ=environ or {},
    )
    return plan_guide(guide, settings)


def test_commands_outputs_and_continuations():
    steps = plan(
        """
        ```console
        $ echo one \\
            two
        one two
        $ cat <<EOF
        > x
        > EOF
        x
        $ true
        ```
        """
    ).steps
    assert [s.text for s in steps] == ["echo one \\\n    two", "cat <<EOF\nx\nEOF", "true"]
    assert [s.span.start for s in steps] == [2, 5, 9]
    assert [[p.text for p in s.expected] for s in steps] == [["one two"], ["x"], []]
    assert all(s.timeout == 7.0 and s.exit_status == 0 for s in steps)


def test_output_before_the_first_command_is_an_error():
    with pytest.raises(GuideError, match="output before the first"):
        plan("```console\nhello\n$ echo\n```\n")


def test_placeholders_are_filled_in_commands_and_output():
    (step,) = plan(
        """
        ```console
        $ echo <myorg>/<internal-registry:5000>
        <myorg>/<internal-registry:5000>
        ```
        """,
        placeholders={"myorg": "acme", "internal-registry:5000": "localhost:5000"},
    ).steps
    assert step.text == "echo acme/localhost:5000"
    assert step.expected[0].text == "acme/localhost:5000"
    assert step.shown == "$ echo <myorg>/<internal-registry:5000>"


def test_unmapped_placeholder_fails_the_plan_at_its_line():
    with pytest.raises(GuideError) as caught:
        plan("text\n\n```console\n$ docker push <myorg>/x\n```\n")
    assert (caught.value.line, caught.value.message) == (4, "placeholder <myorg> has no value")


def test_heredoc_redirections_are_not_placeholders():
    (step,) = plan("```console\n$ cat <<EOF >out.txt\n> a\n> EOF\n```\n").steps
    assert step.text == "cat <<EOF >out.txt\na\nEOF"


@pytest.mark.parametrize("title", ["/etc/passwd", "../outside", "a/../../b", "."])
def test_titles_that_leave_the_workspace_are_rejected(title: str):
    with pytest.raises(GuideError, match="leaves the workspace"):
        plan(f'```text title="{title}"\nx\n```\n')


def test_titles_through_symlinks_out_of_the_sample_are_rejected(tmp_path: Path):
    sample = tmp_path / "sample"
    sample.mkdir()
    (sample / "escape").symlink_to(tmp_path)
    (sample / "inside").mkdir()
    (step,) = plan('```text title="inside/./f.txt"\nx\n```\n', sample=sample).steps
    assert step == WriteFile(step.span, "inside/f.txt", "x\n")
    with pytest.raises(GuideError, match="leaves the workspace"):
        plan('```text title="escape/f.txt"\nx\n```\n', sample=sample)


def test_service_gets_a_stop_at_its_mark_or_at_the_end():
    steps = plan(
        """
        <!-- runner: service=a ready="up" -->
        ```console
        $ serve a
        ```

        <!-- runner: service=b ready="up" ready-timeout=3 -->
        ```console
        $ serve b
        ```

        <!-- runner: stop=a -->
        """
    ).steps
    assert [type(s) for s in steps] == [StartService, StartService, StopService, StopService]
    assert [s.name for s in steps] == ["a", "b", "a", "b"]
    assert (steps[0].ready_timeout, steps[1].ready_timeout) == (11.0, 3.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<!-- runner: stop=ghost -->\n", "no running service named 'ghost'"),
        ('<!-- runner: service=a ready="x" -->\n```console\n$ a\n$ b\n```\n', "holds one command"),
        ('<!-- runner: service=a ready="(" -->\n```console\n$ a\n```\n', "invalid `ready` pattern"),
        ("```console\n$ echo x\n[ (re)\n```\n", "invalid regular expression"),
        ('```console\n$ echo "unclosed\n```\n', "bash cannot parse it"),
        ("```console\n$ if true; then echo\n```\n", "bash cannot parse it"),
        ("```console\n$\nan output line\n```\n", "empty command"),
    ],
)
def test_plan_errors(text: str, message: str):
    with pytest.raises(GuideError, match=message.replace("(", r"\(").replace("[", r"\[")):
        plan(text)


def test_skip_unless_variable():
    text = '<!-- runner: skip="needs a token" unless=TOKEN -->\n```console\n$ login\n```\n'
    assert plan(text).steps[0].skip == "needs a token"
    assert plan(text, environ={"TOKEN": "x"}).steps[0].skip is None


def test_docker_use_is_detected():
    assert plan("```console\n$ docker ps\n```\n").uses_docker
    assert not plan("```console\n$ echo dockerfile\n```\n").uses_docker


def test_commands_are_plain_data():
    (step,) = plan("<!-- runner: exit=4 timeout=2 -->\n```console\n$ x\n```\n").steps
    assert isinstance(step, Command)
    assert (step.exit_status, step.timeout) == (4, 2.0)


def test_quoted_angle_words_are_text_not_placeholders():
    (step,) = plan(
        """
        ```console
        $ curl -s localhost | grep -o '<h1>.*</h1>' | sed "s/<td>/<myorg>/"
        <h1>Stocks</h1>
        ```
        """,
        placeholders={"myorg": "acme"},
    ).steps
    assert step.text == "curl -s localhost | grep -o '<h1>.*</h1>' | sed \"s/<td>/acme/\""
    assert step.expected[0].text == "<h1>Stocks</h1>"
