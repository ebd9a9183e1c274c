"""`runner step` after a failure: the live shell, retry, skip, quit; the last run's times.

Keys go through a real terminal (pexpect), into the page's real bash.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pexpect

from tests.e2e.test_verify import processes_with
from tests.e2e.test_workshop import eventually, exactly, spawn_step, unique, wait_exit

ESCAPE = "\x1d"  # Ctrl-]
FIX_PROMPT = r"\(fix\) [^\r\n]* [$#] "

FAILING = """
# Workshop

## Prepare

```console
$ echo ready
ready
```

## Read the file

```console
$ cat missing.txt
hi
```

## Where are we

```console
$ echo "$FIXED in $(basename "$PWD"), jobs: $(jobs -p | wc -l)"
yes in sub, jobs: 1
```
"""


def fail_step_two(path: Path, cwd: Path) -> pexpect.spawn:
    """Start presenting the page, pass step 1, fail step 2: the menu is on the screen."""
    child = spawn_step(path, cwd=cwd)
    child.expect(r"\[Enter\] run")
    child.send("\r")
    child.expect("PASS")
    child.send(" ")  # next: the output stays on screen until then
    child.expect("step 2 of 3")
    child.expect(r"\[Enter\] run")
    child.send("\r")
    child.expect("FAIL")
    child.expect(r"\[r\] retry   \[Enter\] go on   \[o\] live shell \(Ctrl-\] returns\)")
    return child


def open_live_shell(child: pexpect.spawn) -> None:
    child.send("o")
    child.expect("LIVE SHELL")
    child.expect(FIX_PROMPT)


def type_line(child: pexpect.spawn, line: str) -> None:
    child.send(line + "\r")
    child.expect(FIX_PROMPT)


def test_fix_in_the_live_shell_then_retry(page, tmp_path):
    mark = unique("4721")
    child = fail_step_two(page(FAILING), tmp_path)
    open_live_shell(child)
    type_line(child, "mkdir sub && cd sub && echo hi > missing.txt")
    assert "mkdir sub && cd sub" in (child.before or ""), "what is typed shows"
    type_line(child, f"FIXED=yes; sleep {mark} &")
    child.send(ESCAPE)
    child.expect("BACK IN THE PRESENTER")
    child.expect(r"\[r\] retry")
    assert eventually(lambda: bool(exactly(f"sleep {mark}"))), "the job runs on"
    child.send("r")
    child.expect("retrying the step")
    child.expect("PASS")
    child.send(" ")  # next: the output stays on screen until then
    child.expect("step 3 of 3")
    child.expect(r"\[Enter\] run")
    child.send("\r")
    child.expect("yes in sub, jobs: 1")  # same bash: variable, folder and job kept
    child.expect("PASS")
    child.expect("end of the page: 3 passed, 0 failed, 0 error, 0 skipped")
    assert wait_exit(child) == 0
    assert not processes_with(f"sleep {mark}")


def test_s_skips_the_failed_step(page, tmp_path):
    child = fail_step_two(page(FAILING), tmp_path)
    child.send("s")
    child.expect("SKIP  skipped by the presenter")
    child.expect("step 3 of 3")
    child.expect(r"\[Enter\] run")
    child.send("q")
    child.expect("quit: 1 passed, 0 failed, 0 error, 1 skipped")
    assert wait_exit(child) == 0


def test_q_after_a_fix_leaves_no_process(page, tmp_path):
    mark = unique("4722")
    child = fail_step_two(page(FAILING), tmp_path)
    open_live_shell(child)
    type_line(child, f"sleep {mark} &")
    assert eventually(lambda: bool(exactly(f"sleep {mark}")))
    child.send(ESCAPE)
    child.expect("BACK IN THE PRESENTER")
    child.expect(r"\[q\] quit")
    child.send("q")
    child.expect("quit: 1 passed, 1 failed")
    assert wait_exit(child) == 1
    assert not processes_with(f"sleep {mark}")


def test_exit_and_ctrl_d_do_not_end_the_page_shell(page, tmp_path):
    child = fail_step_two(page(FAILING), tmp_path)
    open_live_shell(child)
    child.send("exit\r")
    child.expect(r"press Ctrl-\] to return to the presenter")
    child.expect(FIX_PROMPT)
    child.send("\x04")  # Ctrl-D on an empty line
    child.expect(FIX_PROMPT)
    type_line(child, "echo still-$((40 + 2))")
    assert "still-42" in (child.before or "")
    mark = unique("4724")
    child.send(f"bash -c \"trap '' INT; sleep {mark}\"\r")  # deaf to Ctrl-C, in the foreground
    assert eventually(lambda: bool(exactly(f"sleep {mark}")))
    child.send(ESCAPE)
    child.expect("BACK IN THE PRESENTER")
    child.expect("note: a program still running in the shell was stopped")
    assert not exactly(f"sleep {mark}")
    child.expect(r"\[r\] retry")
    child.send("r")
    child.expect("FAIL")  # the page's shell still runs the step (missing.txt still missing)
    child.expect(r"\[r\] retry")
    child.send("q")
    assert wait_exit(child) == 1
    assert "the page's shell exited" not in (child.before or "")


def test_retry_stops_a_half_started_service_first(page, tmp_path):
    mark = unique("4723")
    path = page(
        f"""
        <!-- runner: service=svc ready="READY" ready-timeout=1 -->
        ```console
        $ until [ -e go ]; do sleep 0.1; done; echo READY; sleep {mark}
        ...
        ```

        <!-- runner: stop=svc -->
        """
    )
    child = spawn_step(path, cwd=tmp_path)
    child.expect(r"\[Enter\] run")
    child.send("\r")
    child.expect("not ready after 1s")
    child.expect(r"\[r\] retry")
    open_live_shell(child)
    type_line(child, "touch go")
    child.send(ESCAPE)
    child.expect(r"\[r\] retry")
    child.send("r")
    child.expect("stopping the half-started service 'svc' first")
    child.expect("PASS")
    child.send(" ")  # next: the output stays on screen until then
    assert eventually(lambda: len(exactly(f"sleep {mark}")) == 1)
    child.expect("step 2 of 2")
    child.expect(r"\[Enter\] run")
    child.send("\r")
    child.expect("PASS")
    assert wait_exit(child) == 0
    assert not processes_with(f"sleep {mark}")


# --- times of the last run -------------------------------------------------------------------

TIMED = """
# Timed

## First section

```console
$ echo one
one
$ echo two
two
```

## Second section

```console
$ echo three
three
```
"""


def timed_report(runner, path: Path, seconds: list[float]) -> Path:
    """A real report of the page, with its step durations set to known values."""
    report = path.parent / "report.json"
    assert runner("verify", "--no-cache", "--json", report, path).status == 0
    data = json.loads(report.read_text())
    for step, duration in zip(data["pages"][0]["steps"], seconds, strict=True):
        step["duration"] = duration
    report.write_text(json.dumps(data))
    return report


def present(runner, monkeypatch, path: Path, report: Path, keys: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(keys))
    run = runner("step", "--report", report, path)
    assert run.status == 0, run.out
    return run.out


def test_the_header_shows_the_last_run_times(page, runner, monkeypatch):
    path = page(TIMED)
    report = timed_report(runner, path, [12.0, 65.2, 3.0])
    out = present(runner, monkeypatch, path, report, "\n\n\n")
    assert "First section\nlast run: section 1m17s, this step 12s\n" in out
    assert "last run: section 1m17s, this step 1m05s" in out
    assert "Second section\nlast run: section 3.0s, this step 3.0s\n" in out


def test_a_prose_edit_keeps_the_times(page, runner, monkeypatch):
    path = page(TIMED)
    report = timed_report(runner, path, [12.0, 65.2, 3.0])
    path.write_text(TIMED.replace("# Timed\n", "# Timed\n\nA new paragraph\nof prose.\n"))
    out = present(runner, monkeypatch, path, report, "q\n")
    assert "last run: section 1m17s, this step 12s" in out


def test_a_changed_page_shows_no_times(page, runner, monkeypatch):
    path = page(TIMED)
    report = timed_report(runner, path, [12.0, 65.2, 3.0])
    path.write_text(TIMED.replace("$ echo three\nthree", "$ echo four\nfour"))
    out = present(runner, monkeypatch, path, report, "\n\n\n")
    assert "last run" not in out
    assert "end of the page: 3 passed" in out


def test_a_missing_report_named_on_the_command_line_is_an_error(page, runner):
    path = page(TIMED)
    run = runner("step", "--report", path.parent / "nope.json", path)
    assert run.status == 2
    assert "no such report" in run.err


def test_set_e_of_the_page_does_not_end_the_live_shell_and_comes_back(page, tmp_path):
    path = page(
        """
        ```console
        $ set -e
        $ case $- in *e*) echo "errexit on";; esac
        errexit on
        ```
        """
    )
    child = spawn_step(path, cwd=tmp_path)
    child.expect(r"\[Enter\] run")
    child.send("\r")
    child.expect("PASS")
    child.send(" ")  # next: the output stays on screen until then
    child.expect("step 2 of 2")
    child.expect(r"\[Enter\] run   \[o\] live shell")
    open_live_shell(child)  # before a step too
    type_line(child, "false")
    type_line(child, "echo alive")
    assert "alive" in (child.before or "")
    child.send(ESCAPE)
    child.expect("BACK IN THE PRESENTER")
    child.expect(r"\[Enter\] run")
    child.send("\r")
    child.expect("PASS")
    child.expect("end of the page: 2 passed")
    assert wait_exit(child) == 0


def test_without_a_terminal_the_live_shell_says_why_and_the_menu_comes_back(
    page, runner, monkeypatch
):
    path = page("```console\n$ cat missing.txt\nhi\n```\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO("\no\ns\n"))
    run = runner("step", path)
    assert "the live shell needs a terminal: stdin is not one" in run.out
    assert run.out.count("The step failed. What now?") == 2
    assert "end of the page: 0 passed, 0 failed, 0 error, 1 skipped" in run.out
    assert run.status == 0
