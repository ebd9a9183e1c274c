"""The end-of-command markers against pages that try to fool them (issue 24).

The end marker carries `$?` and bash's command number in PS1 itself, with no fork; PS1 forks
its FIFO hook only when it has to (run/shell/markers.py). Each test is a page doing what a
reader's bash would take in its stride: the runner must end each command where bash did,
with bash's status, and leave no trace a reader's bash would not have.
"""

from __future__ import annotations

import time

import pytest

from guiderunner.run.shell.hooks import STALL
from guiderunner.run.shell.interact import enter_script, restore_script, save_script
from guiderunner.run.shell.relay import drain, write_all
from guiderunner.run.shell.session import Typed
from tests.e2e.marker_shell import TOKEN, shell

pytestmark = pytest.mark.timeout(60)

__all__ = ["TOKEN", "shell"]  # the fixture, and the token line


def text(typed: Typed) -> str:
    return typed.output.decode()


def test_forged_end_markers_with_other_numbers_do_not_end_the_command(shell):
    # Started at prompt 1; `true` makes the next prompt 2, so the forging line's end is 3.
    shell.run("true", 10)
    forge = (
        f"{TOKEN}; for n in 0 1 2 $(seq 4 60) 99999; do "
        "printf '\\e]777;%s;1;0;%d\\a' $t $n; done; sleep 0.3; echo end; (exit 7)"
    )
    typed = shell.run(forge, 10)
    assert (text(typed), typed.status) == ("end\n", 7)
    assert text(shell.run("echo next", 10)) == "next\n"


def test_the_next_number_printed_by_a_running_program_does_not_end_the_command(shell):
    # The one marker the number does not stop: the next one, printed by a program (not bash)
    # while it runs. Bash does not have the terminal then, so the marker is held, and dropped
    # when bash's own end comes.
    shell.run("true", 10)  # the next prompt is 2: the forging line's end is 3
    forge = f"{TOKEN}; env printf '\\e]777;%s;1;0;3\\a' $t; sleep 0.5; echo end; (exit 5)"
    typed = shell.run(forge, 10)
    assert (text(typed), typed.status) == ("end\n", 5)
    assert text(shell.run("echo next", 10)) == "next\n"


def test_markers_replayed_from_a_file_of_bashs_stderr_do_not_end_the_command(shell, tmp_path):
    log = tmp_path / "err.log"
    assert shell.run(f"exec 3>&2 2>{log}", 10).status == 0
    assert text(shell.run("echo one; false", 10)) == "one\n"
    assert shell.run("ls /nonexistent-folder", 10).status == 2
    assert shell.run("exec 2>&3 3>&-", 10).status == 0
    assert b"777;" in log.read_bytes()  # the prompts went there, markers and all
    typed = shell.run(f"cat {log}; cat {log} >&2; sleep 0.3; echo end", 10)
    assert (text(typed).endswith("end\n"), typed.status) == (True, 0)
    assert "No such file" in text(typed)
    assert text(shell.run("echo next", 10)) == "next\n"


@pytest.mark.parametrize("away", ["exec 2>/dev/null", "exec 2>&-", "exec 2>/dev/full"])
def test_with_bashs_stderr_away_each_command_has_its_own_status(shell, away):
    assert shell.run(away, 10).status == 0
    assert shell.run("false", 10).status == 1
    assert (text(typed := shell.run("echo out; (exit 4)", 10)), typed.status) == ("out\n", 4)
    started = time.monotonic()
    for i in range(20):
        assert shell.run(f"(exit {i})", 10).status == i
    assert time.monotonic() - started < 5  # after the first, the status comes at once
    assert text(shell.run("cat <<EOF\nx\nEOF", 10)) == "x\n"


def test_stderr_through_tee_keeps_status_and_order(shell, tmp_path):
    log = tmp_path / "tee.log"
    assert shell.run(f"exec 2> >(tee {log})", 10).status == 0
    typed = shell.run("echo a; ls /nonexistent-folder; echo b", 10)
    assert typed.status == 0
    assert text(typed).startswith("a\n")
    assert "No such file" in text(typed)
    assert shell.run("false", 10).status == 1
    assert text(shell.run("echo c", 10)) == "c\n"


def test_a_debug_trap_counts_only_the_pages_commands(shell):
    shell.run("n=0; trap 'n=$((n+1))' DEBUG", 10)
    shell.run("true", 10)
    shell.run("", 10)  # an empty step, a comment, a syntax error: PS1 forks its hook
    shell.run("# a comment", 10)
    shell.run("echo )", 10)
    shell.run('PS1="(venv) $PS1"', 10)  # a prefix: every prompt forks from now on
    shell.run("true", 10)
    shell.run("trap - DEBUG", 10)
    # true, PS1=..., true, trap - DEBUG: what a reader's bash counts too
    assert text(shell.run("echo $n", 10)) == "4\n"


def test_an_err_trap_fires_on_the_pages_failures_only(shell):
    shell.run("trap 'echo ERR' ERR", 10)
    assert text(shell.run("true", 10)) == ""
    assert text(shell.run("false", 10)) == "ERR\n"
    assert text(shell.run("# comment", 10)) == ""
    assert text(shell.run('PS1="(venv) $PS1"', 10)) == ""
    assert text(typed := shell.run("false", 10)) == "ERR\n"
    assert typed.status == 1


@pytest.mark.parametrize("before", ["true", 'PS1="(venv) $PS1"', "exec 3>&2 2>/dev/null"])
def test_set_x_traces_nothing_of_the_runners(shell, before):
    shell.run(before, 10)
    shell.run("set -x", 10)
    shell.run("", 10)
    typed = shell.run("echo traced", 10)
    if "2>/dev/null" in before:  # the trace went where bash's stderr goes
        assert text(typed) == "traced\n"
    else:
        assert text(typed) == "+ echo traced\ntraced\n"


def test_prompt_command_is_the_pages_and_runs_once_per_prompt(shell):
    assert text(shell.run('echo "[${PROMPT_COMMAND-unset}]"', 10)) == "[unset]\n"
    shell.run("c=0; PROMPT_COMMAND='c=$((c+1)); false'", 10)
    assert shell.run("true", 10).status == 0  # its `false` is not the command's status
    shell.run("unset PROMPT_COMMAND", 10)
    assert text(shell.run("echo $c", 10)) == "2\n"  # after the 2 commands it was set for


def test_dollar_underscore_status_and_pipestatus_survive_every_hook(shell):
    shell.run("echo first last-arg", 10)
    shell.run("", 10)
    shell.run("# comment", 10)
    assert text(shell.run('echo "$_"', 10)) == "last-arg\n"
    shell.run("false | true | (exit 3)", 10)
    shell.run("", 10)
    assert text(shell.run('echo "$? ${PIPESTATUS[*]}"', 10)) == "3 1 0 3\n"


def test_the_pages_view_of_ps1_is_the_prompt(shell):
    typed = shell.run('case "$PS1" in *"\\\\$ "*) echo prompt;; esac; declare -F | wc -l', 10)
    assert text(typed) == "prompt\n0\n"


def test_a_shell_handed_to_a_person_comes_back_in_step_at_once(shell, tmp_path):
    # What run.shell.interact does, without the person: commands typed straight into the
    # terminal move bash's command number on behind the runner's back.
    state = tmp_path / "state"
    assert shell.run(save_script(state), 10).status == 0
    write_all(shell.terminal_fd, enter_script().encode() + b"\n")
    for command in ("true", "cd /", "echo by hand", "set +o emacs"):
        write_all(shell.terminal_fd, command.encode() + b"\n")
    time.sleep(0.3)
    drain(shell.terminal_fd, 0.1)
    started = time.monotonic()
    restored = shell.run(restore_script(state), 10)
    assert (restored.status, restored.error) == (0, None)
    assert time.monotonic() - started < STALL  # its end came with its status: no re-arm
    assert text(shell.run("pwd; false", 10)) == "/\n"
    assert shell.run("false", 10).status == 1


def test_a_nested_bash_that_exits_gives_its_status_to_the_first(shell):
    assert shell.run("bash", 20).status == 0
    assert text(shell.run("echo inside; false", 10)) == "inside\n"
    started = time.monotonic()
    typed = shell.run("exit 3", 10)
    assert (typed.status, typed.error) == (3, None)
    assert time.monotonic() - started < STALL  # the first bash's own next number: at once
    assert text(shell.run("echo outside", 10)) == "outside\n"
