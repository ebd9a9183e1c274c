"""The usual command's short way (run/shell/quick.py) against output shaped to trip it.

Every command here is one line typed at a prompt that is all in: the short way's case. Each
test prints what a byte search could mistake (escapes before the end, our marker's prefix,
a marker cut in two, output far larger than one read, output that comes late), and the
runner must give what bash printed and bash's status, as the full parse would.
"""

from __future__ import annotations

import pytest

from guiderunner.run.shell.session import ShellSession, Typed
from tests.e2e.marker_shell import TOKEN, shell

pytestmark = pytest.mark.timeout(60)

__all__ = ["TOKEN", "shell"]  # the fixture, and the token line


def said(typed: Typed) -> tuple[str, int | None]:
    return typed.output.decode(), typed.status


def usual(shell: ShellSession) -> bool:
    channel = shell._channel
    assert channel is not None
    return channel.usual()


def test_plain_commands_go_the_short_way_one_after_the_other(shell):
    shell.run("true", 10)
    for i in range(200):
        assert usual(shell)
        assert said(shell.run(f"echo line-{i}; (exit {i % 7})", 10)) == (f"line-{i}\n", i % 7)


@pytest.mark.parametrize(
    ("command", "raw", "status"),
    [
        ("printf 'no newline'", b"no newline", 0),
        ("printf '\\e[31mred\\e[0m\\n'", b"\x1b[31mred\x1b[0m\r\n", 0),  # escapes first
        ("printf 'a\\rb\\n'; false", b"a\rb\r\n", 1),
        ("printf '\\e]777;'; echo x", b"\x1b]777;x\r\n", 0),  # our prefix, no token
        ("printf '\\e]0;title\\a'; echo y", b"\x1b]0;title\x07y\r\n", 0),
        ("printf '\\a\\n'", b"\x07\r\n", 0),
        ("", b"", 0),  # nothing ran: the number did not move, PS1 forks
        ("# a comment", b"", 0),
        ("(exit 3)", b"", 3),
    ],
)
def test_odd_output_gives_what_bash_printed_and_its_status(shell, command, raw, status):
    shell.run("true", 10)
    typed = shell.run(command, 10)
    assert (typed.raw, typed.status) == (raw, status)
    assert said(shell.run("echo next", 10)) == ("next\n", 0)
    assert usual(shell)


def test_our_own_markers_in_output_are_output(shell):
    shell.run("true", 10)
    # The drawn marker (with the token: dropped, as by the full parse), then the end marker's
    # prefix cut short: neither ends anything.
    line = f"{TOKEN}; printf '\\e]777;%s;3;9\\a<\\e]777;%s;1;' $t $t; echo; echo z; (exit 6)"
    typed = shell.run(line, 10)
    assert (typed.raw[:7], typed.raw.endswith(b";1;\r\nz\r\n")) == (b"<\x1b]777;", True)
    assert typed.status == 6
    assert said(shell.run("echo next", 10)) == ("next\n", 0)


def test_output_larger_than_a_read_and_output_that_comes_late(shell):
    shell.run("true", 10)
    big = shell.run("head -c 300000 /dev/zero | tr '\\0' 'x'; echo", 10)
    assert (big.output.count(b"x"), big.status) == (300000, 0)
    late = shell.run("sleep 0.2; echo late; (exit 4)", 10)  # longer than the short wait
    assert said(late) == ("late\n", 4)
    assert said(shell.run("echo next", 10)) == ("next\n", 0)


def test_a_prompt_with_a_prefix_and_line_editing_leave_the_short_way_and_come_back(shell):
    shell.run("true", 10)
    assert said(shell.run('PS1="(venv) $PS1"', 10)) == ("", 0)
    assert said(shell.run("echo in-venv", 10)) == ("in-venv\n", 0)
    assert said(shell.run("set -o emacs", 10)) == ("", 0)
    assert not usual(shell)  # a command that may turn editing on: the shell is looked at
    assert said(shell.run("echo edited", 10)) == ("edited\n", 0)
    assert said(shell.run("echo again; false", 10)) == ("again\n", 1)
