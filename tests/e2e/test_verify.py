"""`runner verify` end to end, with a real bash on a real pseudo-terminal."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ROOT


def processes_with(word: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if word.encode() in cmdline and b"pytest" not in cmdline:
                found.append(int(entry.name))
    return found


def start_runner(
    cwd: Path, *args: str, waiting_for: str = "", env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """`python -m guiderunner ARGS` as its own process; returns once `waiting_for` runs."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "guiderunner", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )
    deadline = time.monotonic() + 20
    while waiting_for and not processes_with(waiting_for) and time.monotonic() < deadline:
        time.sleep(0.05)
    return proc


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_state_files_and_skips(page, runner):
    path = page(
        """
        ```console
        $ export ANSWER=42; greet() { echo "hi $1"; }
        $ mkdir deep && cd deep
        ```

        ```text title="deep/note.txt"
        written by the guide
        ```

        ```console
        $ greet "$ANSWER from $(basename $PWD)"
        hi 42 from deep
        $ cat note.txt
        written by the guide
        ```

        <!-- runner: skip="not today" -->
        ```console
        $ exit 99
        ```
        """
    )
    run = runner("verify", path)
    assert run.status == 0, run.out
    assert "SKIP" in run.out
    assert "[not today]" in run.out
    assert "4 passed" in run.out or "5 passed" in run.out


def test_a_wrong_output_fails_at_its_line_with_a_diff(page, runner):
    path = page(
        """
        Intro.

        ```console
        $ echo "port 8080"
        port 80
        $ echo never
        ```
        """
    )
    run = runner("verify", path)
    assert run.status == 1
    assert f"at {path.name}:4: output differs" in run.out
    assert "-port 80\n" in run.out
    assert "+port 8080\n" in run.out
    assert "not run:" in run.out


def test_timeout_interrupts_and_the_shell_recovers(page, runner):
    path = page(
        """
        <!-- runner: timeout=1 -->
        ```console
        $ echo before; sleep 30
        ```

        ```console
        $ echo after
        after
        ```
        """
    )
    started = time.monotonic()
    run = runner("verify", "--keep-going", path)
    assert time.monotonic() - started < 15
    assert run.status == 1
    assert "timed out after 1s" in run.out
    assert "| before" in run.out
    assert "PASS    7  $ echo after" in run.out


def test_a_background_service_is_awaited_checked_and_stopped(page, runner, tmp_path):
    (tmp_path / "hello.txt").write_text("hello from the service\n")
    port = 18000 + os.getpid() % 1000
    path = page(
        f"""
        <!-- runner: service=web ready="Serving HTTP" ready-timeout=30 -->
        ```console
        $ python3 -m http.server {port} --bind 127.0.0.1 --directory {tmp_path}
        ...
        ```

        ```console
        $ curl -s http://127.0.0.1:{port}/hello.txt
        hello from the service
        ```

        <!-- runner: stop=web -->

        ```console
        $ curl -s -o /dev/null -w '%{{http_code}}' http://127.0.0.1:{port}/ || echo refused
        000refused
        ```
        """
    )
    run = runner("verify", path)
    assert run.status == 0, run.out
    assert not processes_with(f"http.server {port}")


def test_nothing_is_left_running_after_a_failing_page(page, runner):
    unique = f"sleep {os.getpid()}"  # other runs on this machine must not disturb the check
    path = page(
        f"""
        ```console
        $ {unique}1 &
        ...
        $ setsid {unique}2 > /dev/null 2>&1 < /dev/null &
        ...
        $ nohup {unique}3 > /dev/null 2>&1 &
        ...
        $ false
        ```
        """
    )
    run = runner("verify", path)
    assert run.status == 1
    assert not processes_with(unique)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupting_the_runner_stops_everything(page, tmp_path, sig):
    marker = f"sleep {os.getpid()}{int(sig)}"
    path = page(
        f"""
        ```console
        $ {marker}1 > /dev/null 2>&1 &
        ...
        $ echo started
        started
        $ {marker}2
        ```
        """
    )
    proc = start_runner(tmp_path, "verify", str(path), waiting_for=f"{marker}2")
    assert processes_with(f"{marker}1")
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, out + err
    assert "interrupted" in err
    assert "Traceback" not in err
    assert not processes_with(marker)


def test_the_sample_is_copied_and_never_modified(page, runner, tmp_path):
    sample = tmp_path / "sample"
    (sample / "src").mkdir(parents=True)
    (sample / "src" / "app.txt").write_text("original\n")
    before = tree_digest(sample)
    path = page(
        """
        ```console
        $ cat src/app.txt
        original
        $ echo changed > src/app.txt && rm -rf src && touch new-file
        ```

        ```text title="src/Dockerfile"
        FROM scratch
        ```
        """
    )
    run = runner("verify", "--sample", sample, path)
    assert run.status == 0, run.out
    assert tree_digest(sample) == before


def test_keep_workspace_prints_it(page, runner):
    path = page("```console\n$ touch kept.txt\n```\n")
    run = runner("verify", "--keep-workspace", path)
    kept = Path(run.out.split("workspace kept: ")[1].strip())
    assert (kept / "kept.txt").exists()
    subprocess.run(["rm", "-rf", str(kept.parent)], check=True)


def test_junit_and_json_reports_are_readable(page, runner, tmp_path):
    path = page(
        """
        ```console
        $ echo ok
        ok
        ```

        <!-- runner: skip="later" -->
        ```console
        $ echo skipped
        ```

        ```console
        $ echo bad
        good
        ```
        """
    )
    run = runner("verify", "--junit", tmp_path / "j.xml", "--json", tmp_path / "r.json", path)
    assert run.status == 1
    suite = ET.parse(tmp_path / "j.xml").getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("3", "1", "1")
    cases = suite.findall("testcase")
    assert [c.get("line") for c in cases] == ["2", "8", "12"]
    failure = cases[2].find("failure")
    assert failure is not None
    assert f"{path.name}:12" in failure.get("message", "")
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["passed"] is False
    assert [s["outcome"] for s in report["pages"][0]["steps"]] == ["passed", "skipped", "failed"]
    assert "bash" in report["environment"]


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ("```console\n$ echo\n", [], "code fence ``` is never closed"),
        ("<!-- runner: frobnicate -->\n```console\n$ a\n```\n", [], "unknown directive"),
        ("<!-- runner: timeout=x -->\n```console\n$ a\n```\n", [], "wants seconds"),
        ('```text title="../escape.txt"\nx\n```\n', [], "leaves the workspace"),
        ("```console\n$ echo <who>\n```\n", [], "placeholder <who> has no value"),
        ("```console\n$ echo hi\n```\n", ["--sample", "no-such-dir"], "sample folder not found"),
        ("```console\n$ echo hi\n```\n", ["--set", "novalue"], "--set wants NAME=VALUE"),
        ("```console\n$ echo hi\n```\n", ["--config", "missing.yml"], "no such configuration file"),
    ],
)
def test_invalid_input_exits_2_with_one_line_and_runs_nothing(
    page, runner, tmp_path, text, args, message
):
    path = page(text.replace("$ a", "$ touch ran.txt"))
    run = runner("verify", *args, path)
    assert run.status == 2
    assert message in run.err
    assert len(run.err.strip().splitlines()) == 1
    assert "Traceback" not in run.err
    assert not list(tmp_path.rglob("ran.txt"))


def test_missing_page_exits_2(runner):
    run = runner("verify", "no-such-page.md")
    assert (run.status, run.err.strip()) == (2, "runner: no such page: no-such-page.md")


def test_list_prints_the_plan_without_running(page, runner, tmp_path):
    path = page(
        "<!-- runner: timeout=5 exit=1 -->\n```console\n$ touch ran.txt\n```\n\n"
        '```text title="f.txt"\nx\n```\n'
    )
    run = runner("list", path)
    assert run.status == 0
    assert "command  $ touch ran.txt  (exit 1, timeout 5s)" in run.out
    assert "file     write f.txt" in run.out
    assert not (tmp_path / "ran.txt").exists()


def test_the_authoring_page_passes(runner):
    run = runner("verify", "--config", ROOT / "mkdocs.yml", ROOT / "docs" / "authoring.md")
    assert run.status == 0, run.out
    assert " 0 failed" in run.out


def test_verbose_shows_output_while_it_runs(page, runner):
    path = page('```console\n$ X=live; echo "$X-line-1"; echo "$X-line-2"\n...\n```\n')
    quiet, loud = runner("verify", path), runner("verify", "--no-cache", "-v", path)
    assert "live-line-2" not in quiet.out
    assert "live-line-1\r\nlive-line-2" in loud.out
    assert "bash-" not in loud.out  # bash's own start-up prompt is not part of the page
    assert "\x1b]777;" not in loud.out  # nor are the runner's markers


def test_a_service_that_never_gets_ready_is_an_error_and_is_stopped(page, runner):
    unique = f"sleep {os.getpid()}7"
    path = page(
        f"""
        <!-- runner: service=slow ready="never printed" ready-timeout=1 -->
        ```console
        $ echo starting; {unique}
        ```

        ```console
        $ echo after
        ```
        """
    )
    run = runner("verify", path)
    assert run.status == 1
    assert "not ready after 1s" in run.out
    assert "| starting" in run.out
    assert not processes_with(unique)


def test_exit_ends_the_shell_and_later_steps_say_why(page, runner):
    path = page("```console\n$ exit 4\n```\n\n```console\n$ echo unreachable\n```\n")
    run = runner("verify", "--keep-going", path)
    assert run.status == 1
    assert "the shell exited with status 4" in run.out
    assert "not run: the shell exited with status 4" in run.out


def test_reset_cleans_up_after_a_runner_killed_with_sigkill(page, tmp_path):
    """Unboxed (RUNNER_BOX=off), the page's detached processes wait for `runner reset`."""
    unique = f"sleep {os.getpid()}9"
    # setsid: a background job that outlives the SIGHUP its dying shell sends.
    path = page(
        f"```console\n$ setsid {unique}1 > /dev/null 2>&1 < /dev/null &\n...\n$ {unique}2\n```\n"
    )
    unboxed = {"RUNNER_BOX": "off"}
    proc = start_runner(tmp_path, "verify", str(path), waiting_for=f"{unique}2", env=unboxed)
    proc.kill()  # no chance to clean up: the page's processes are orphans now
    proc.wait()
    time.sleep(0.5)
    assert processes_with(f"{unique}1")
    reset = start_runner(tmp_path, "reset")
    out, _ = reset.communicate(timeout=60)
    assert reset.returncode == 0
    assert "left by the run of process" in out
    assert not processes_with(unique)
