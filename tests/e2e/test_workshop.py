"""`runner step`, `verify --until` and `runner reset`, with a real bash; keys through a real pty."""

from __future__ import annotations

import io
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest

from tests.conftest import ROOT
from tests.e2e.test_verify import processes_with

STEPS = """
# Workshop

## Start a job in the background

```console
$ {nohup}sleep {mark} > /dev/null 2>&1 &
...
```

## Say hello

```console
$ echo "hello from step 2"
hello from step 2
$ echo "never run"
never run
$ echo "four"
four
```
"""


def unique(mark: str) -> str:
    """A sleep length no other run of these tests on the machine uses at the same time."""
    return f"{mark}{os.getpid()}"


def spawn_step(*args: str | Path, cwd: Path, boxed: bool = True) -> pexpect.spawn:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    env.update({} if boxed else {"RUNNER_BOX": "off"})
    return pexpect.spawn(
        sys.executable,
        ["-m", "guiderunner", "step", *map(str, args)],
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 100),
    )


def wait_exit(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, child.signalstatus
    return int(child.exitstatus)


def exactly(command: str) -> list[int]:
    """Processes whose whole command line is `command` (not nohup or a shell that runs it)."""
    return [
        pid
        for pid in processes_with(command)
        if (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").strip()
        == command.encode()
    ]


def running_as(command: str) -> bool:
    """Is a process running with exactly this command line (not nohup or a shell before it)?"""
    return bool(exactly(command))


def eventually(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    """Poll: a background job is exec'd a moment after the command that started it returns."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def recorded_sessions() -> dict[str, object]:
    record = Path(os.environ["XDG_STATE_HOME"]) / "stockkube-runner" / "leftovers.json"
    return json.loads(record.read_text())["sessions"] if record.exists() else {}


def test_keys_run_skip_and_quit_through_a_terminal(page, tmp_path):
    mark = unique("4711")
    path = page(STEPS.format(mark=mark, nohup=""))
    child = spawn_step(path, cwd=tmp_path)
    child.expect("step 1 of 4")
    child.expect("Start a job in the background")
    child.expect(r"\[Enter\] run")
    assert not processes_with(f"sleep {mark}"), "nothing runs before Enter"
    child.send("\r")
    child.expect("PASS")
    child.send(" ")  # next: the output stays on screen until then
    assert eventually(lambda: running_as(f"sleep {mark}"))
    child.expect("step 2 of 4")
    child.expect("Say hello")
    child.expect(r"\[Enter\] run")
    child.send("\r")
    child.expect("hello from step 2")  # live output
    child.expect("PASS")
    child.send(" ")  # next: the output stays on screen until then
    child.expect("step 3 of 4")
    child.expect(r"\[Enter\] run")
    child.send("s")
    child.expect("SKIP  skipped by the presenter")
    child.expect("step 4 of 4")
    child.expect(r"\[Enter\] run")
    child.send("q")
    child.expect("quit: 2 passed, 0 failed, 0 error, 1 skipped")
    assert wait_exit(child) == 0
    assert "never run" not in (child.before or "")
    assert not processes_with(f"sleep {mark}")
    assert recorded_sessions() == {}


def test_a_failure_shows_the_diff_and_moves_on(page, runner, monkeypatch):
    path = page("```console\n$ echo actual\nexpected\n$ echo next\nnext\n```\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n\n\n"))  # run, go on (after FAIL), run
    run = runner("step", path)
    assert run.status == 1
    assert "FAIL" in run.out
    assert "[r] retry   [Enter] go on" in run.out
    assert "-expected" in run.out
    assert "+actual" in run.out
    assert "step 2 of 2" in run.out
    assert "end of the page: 1 passed, 1 failed" in run.out


def test_line_input_when_stdin_is_not_a_terminal(page, runner, monkeypatch):
    path = page(STEPS.format(mark=unique("4712"), nohup=""))
    monkeypatch.setattr(sys, "stdin", io.StringIO("s\n\nq\n"))
    run = runner("step", path)
    assert run.status == 0, run.out
    assert run.out.count("SKIP  skipped by the presenter") == 1
    assert "hello from step 2" in run.out
    assert "quit: 1 passed, 0 failed, 0 error, 1 skipped" in run.out


def test_from_catches_up_the_shell_state(page, tmp_path):
    path = page(
        """
        ```console
        $ echo one
        one
        $ export WORKSHOP_VAR=caught-up
        $ mkdir -p sub && cd sub
        ```

        ## Where are we

        ```console
        $ echo "$WORKSHOP_VAR in $(basename "$PWD")"
        caught-up in sub
        ```
        """
    )
    child = spawn_step("--from", "4", path, cwd=tmp_path)
    child.expect("caught up: steps 1 to 3")
    child.expect("step 4 of 4")
    child.expect("Where are we")
    child.expect(r"\[Enter\] run")
    child.send("\r")
    child.expect("caught-up in sub")
    child.expect("PASS")
    child.expect("end of the page: 1 passed")
    assert wait_exit(child) == 0


def test_catch_up_stops_at_the_first_failure(page, runner):
    path = page(
        """
        ```console
        $ echo one
        two
        $ touch should-not-run
        $ echo three
        ```
        """
    )
    run = runner("step", "--from", "3", path)
    assert run.status == 1
    assert f"catch-up stopped at step 1 ({path.name}:2): output differs" in run.out
    assert "step 3 of 3" not in run.out
    assert not list(path.parent.rglob("should-not-run"))


@pytest.mark.parametrize("start", ["0", "5", "x"])
def test_from_must_name_a_step(page, runner, start):
    path = page("```console\n$ echo a\na\n```\n")
    run = runner("step", "--from", start, path)
    assert run.status == 2


def test_quit_stops_a_running_service(page, tmp_path):
    port = 19000 + os.getpid() % 1000
    path = page(
        f"""
        <!-- runner: service=web ready="Serving HTTP" ready-timeout=30 -->
        ```console
        $ python3 -m http.server {port} --bind 127.0.0.1
        ...
        ```

        ```console
        $ curl -s -o /dev/null -w '%{{http_code}}\\n' http://127.0.0.1:{port}/
        200
        ```

        <!-- runner: stop=web -->
        """
    )
    child = spawn_step(path, cwd=tmp_path)
    child.expect(r"\[Enter\] run")
    child.send("\r")
    child.expect("PASS")
    child.send(" ")  # next: the output stays on screen until then
    child.expect(r"\[Enter\] run")
    child.send("\r")
    child.expect("PASS")
    child.send(" ")  # next: the output stays on screen until then
    child.expect("step 3 of 3")
    assert processes_with(f"http.server {port}"), "the service runs until its stop step"
    child.expect(r"\[Enter\] run")
    child.send("q")
    assert wait_exit(child) == 0
    assert not processes_with(f"http.server {port}")


def test_verify_until_runs_only_the_first_steps(page, runner):
    path = page("```console\n$ echo 1\n1\n$ echo 2\n2\n$ echo never run\nnever run\n```\n")
    run = runner("verify", "--until", "2", path)
    assert run.status == 0, run.out
    assert "2 passed, 0 failed, 0 error, 0 skipped" in run.out
    assert "never run" not in run.out


def test_reset_removes_kept_workspaces(page, runner):
    path = page("```console\n$ touch kept.txt\n```\n")
    kept = Path(runner("verify", "--keep-workspace", path).out.split("workspace kept: ")[1].strip())
    assert kept.exists()
    run = runner("reset")
    assert run.status == 0
    assert f"removed workspace {kept.parent}" in run.out
    assert not kept.parent.exists()
    assert runner("reset").out.strip() == "nothing to remove"


def test_reset_cleans_up_after_a_killed_step_session(page, runner, tmp_path):
    # Unboxed: in a box, the kernel ends the page's processes with the killed runner's terminal
    # (tests/e2e/test_box.py); without one, `runner reset` is what stops them.
    mark = unique("4714")
    path = page(STEPS.format(mark=mark, nohup="nohup "))  # survives the terminal's hangup
    child = spawn_step(path, cwd=tmp_path, boxed=False)
    child.expect(r"\[Enter\] run")
    child.send("\r")
    child.expect("PASS")
    child.send(" ")  # next: the output stays on screen until then
    child.expect("step 2 of 4")
    (session,) = recorded_sessions().values()
    # Once it is `sleep` and no longer `nohup`, it is immune to the hangup that is coming.
    assert eventually(lambda: running_as(f"sleep {mark}"))
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert processes_with(f"sleep {mark}"), "a killed runner cannot clean up"
    run = runner("reset")
    assert "stopped 1 process(es) left by the run of process " in run.out, run.out
    assert f"removed workspace {Path(session['workspace']).parent}" in run.out  # type: ignore[index]
    assert eventually(lambda: not processes_with(f"sleep {mark}"))
    assert recorded_sessions() == {}


def test_reset_leaves_a_live_session_alone(page, runner, tmp_path):
    path = page(STEPS.format(mark=unique("4715"), nohup=""))
    child = spawn_step(path, cwd=tmp_path)
    child.expect(r"\[Enter\] run")
    run = runner("reset")
    assert "left alone: the run of process " in run.out
    assert len(recorded_sessions()) == 1
    child.send("q")
    assert wait_exit(child) == 0
    assert recorded_sessions() == {}
