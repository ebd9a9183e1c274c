"""Secrets are masked as a terminal shows them, wherever the page's output goes.

Each test names the promise it checks: a value that reaches a reader's eyes through colour
codes, a backspace, a line break, a `--set` value or a variable the page sets itself is `***`
in the live output (`-v`), the report, the JSON, and the recording.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

SECRETS = ("hunter2-literal", "dyn-amic-token-42", "sekret-value-99", "line-two-of-key")


def verify(cwd: Path, page: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guiderunner", "verify", "--no-cache", "-v", *args, str(page)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        timeout=120,
        check=False,
    )


def everything_written(folder: Path, run: subprocess.CompletedProcess[str]) -> str:
    files = [p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file()]
    return "\n".join([run.stdout, run.stderr, *files])


def test_a_secret_shown_through_colour_backspace_or_line_breaks_is_masked(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```console\n"
        '$ echo "$MY_TOKEN" | grep --color=always value\n***\n'
        "$ printf 'sekrx\\bet-value-99\\n'\n***\n"
        "$ printf '%s\\n' \"$PEM_KEY\"\n***\n"
        "$ printf 'sek\\033[1mret-val\\033[0mue-99\\n'\n***\n"
        "```\n"
    )
    run = verify(
        tmp_path,
        page,
        "--json",
        "r.json",
        "--record",
        "rec",
        MY_TOKEN="sekret-value-99",
        PEM_KEY="line-one-of-key\nline-two-of-key",
    )
    assert run.returncode == 0, run.stdout + run.stderr
    shown = everything_written(tmp_path, run)
    for value in ("sekret-value-99", "line-two-of-key", "line-one-of-key"):
        assert value not in shown
    assert shown.count("***") >= 4


def test_a_secret_the_page_sets_is_masked_literal_or_computed(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```console\n"
        "$ export DB_PASSWORD='hunter2-literal'\n"
        '$ echo "db: $DB_PASSWORD"\n'
        "db: ***\n"
        "```\n\n"
        "<!-- runner: exit=1 -->\n"
        "```console\n"
        "$ export API_TOKEN=$(echo dyn-amic-token-42); false\n"
        "```\n\n"
        "```console\n"
        '$ echo "$? $API_TOKEN"\n'
        "1 ***\n"
        "```\n"
    )
    run = verify(tmp_path, page, "--json", "r.json", "--record", "rec")
    assert run.returncode == 0, run.stdout + run.stderr
    shown = everything_written(tmp_path / "rec", run) + (tmp_path / "r.json").read_text()
    assert "hunter2-literal" not in shown
    # The computed value never shows as output (the command that computes it names it).
    assert "1 dyn-amic-token-42" not in shown
    assert "1 ***" in shown


def test_a_set_value_under_a_secret_name_is_masked(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("```console\n$ echo 'pass: <db-password>'\npass: ***\n```\n")
    run = verify(tmp_path, page, "--set", "db-password=sekret-value-99")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "sekret-value-99" not in run.stdout + run.stderr


def test_asking_the_shell_for_a_secret_leaves_no_trace(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- runner: exit=3 -->\n"
        "```console\n"
        "$ read -r MY_SECRET <<< \"$(printf 'sekret-%s' value-99)\"; (exit 3)\n"
        "```\n\n"
        "```console\n"
        '$ echo "status $?"\n'
        "status 3\n"
        "$ set -o history; history | grep -c printf || true\n"
        "0\n"
        '$ echo "$MY_SECRET"\n'
        "***\n"
        "```\n"
    )
    run = verify(tmp_path, page)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "sekret-value-99" not in run.stdout
