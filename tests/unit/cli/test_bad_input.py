"""Bad values and files get one line naming what and where, exit 2, no traceback, no hang."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

PAGE = "```console\n$ echo hi\nhi\n```\n"


def runner(cwd: Path, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guiderunner", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=timeout,
        check=False,
    )


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-5", "soon", "1e400"])
def test_a_bad_timeout_is_refused_naming_the_option(tmp_path: Path, value: str) -> None:
    (tmp_path / "page.md").write_text(PAGE)
    run = runner(tmp_path, "verify", "--no-cache", f"--timeout={value}", "page.md")
    assert run.returncode == 2
    assert one_line(run.stderr).startswith("runner: --timeout: ")


def test_a_bad_timeout_in_the_environment_names_the_variable(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(PAGE)
    run = subprocess.run(
        [sys.executable, "-m", "guiderunner", "verify", "--no-cache", "page.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(ROOT), "RUNNER_TIMEOUT": "nan"},
    )
    assert run.returncode == 2
    assert "RUNNER_TIMEOUT" in one_line(run.stderr)


def test_a_fifo_given_as_a_page_is_refused_at_once(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    started = time.monotonic()
    run = runner(tmp_path, "verify", "pipe.md", timeout=20)
    assert time.monotonic() - started < 15
    assert run.returncode == 2
    assert one_line(run.stderr) == "runner: not a regular file: pipe.md"


def test_a_directory_given_as_a_page_is_refused(tmp_path: Path) -> None:
    (tmp_path / "folder.md").mkdir()
    run = runner(tmp_path, "verify", "folder.md")
    assert run.returncode == 2
    assert "not a regular file" in one_line(run.stderr)


def test_a_page_that_is_not_utf8_names_its_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_bytes(b"# Title\n\nCaf\xe9 ok\n" + PAGE.encode())
    run = runner(tmp_path, "verify", "page.md")
    assert run.returncode == 2
    assert one_line(run.stderr) == (
        "runner: page.md: line 3, column 4: not UTF-8 (invalid continuation byte)"
    )


def test_an_invalid_config_file_is_named_as_given(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(PAGE)
    (tmp_path / "other.yml").write_text("plugins: [\n")
    run = runner(tmp_path, "verify", "--config", "other.yml", "page.md")
    assert run.returncode == 2
    line = one_line(run.stderr)
    assert "other.yml" in line
    assert "mkdocs.yml" not in line


def test_a_bad_timeout_in_the_config_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(PAGE)
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - runner:\n      timeout: .nan\n")
    run = runner(tmp_path, "verify", "page.md")
    assert run.returncode == 2
    assert "mkdocs.yml: timeout" in one_line(run.stderr)


@pytest.mark.parametrize("delay", [0.3, 0.6])
def test_ctrl_c_while_starting_prints_no_traceback(tmp_path: Path, delay: float) -> None:
    (tmp_path / "page.md").write_text(PAGE)
    proc = subprocess.Popen(
        [sys.executable, "-m", "guiderunner", "verify", "--no-cache", "page.md"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err
    assert proc.returncode in (0, 130, -signal.SIGINT), err


def test_ctrl_c_while_importing_the_command_table_is_one_line(tmp_path: Path) -> None:
    """The import of every sub-command is the slow part of starting: a Ctrl-C there."""
    script = (
        "import builtins, sys\n"
        "real = builtins.__import__\n"
        "def interrupted(name, *a, **k):\n"
        "    if name == 'guiderunner.cli.main':\n"
        "        raise KeyboardInterrupt\n"
        "    return real(name, *a, **k)\n"
        "builtins.__import__ = interrupted\n"
        "sys.argv = ['runner', 'verify', 'page.md']\n"
        "from guiderunner.cli import entry\n"
        "entry()\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=30,
        check=False,
    )
    assert run.returncode == 130
    assert one_line(run.stderr) == "runner: interrupted before anything started"
