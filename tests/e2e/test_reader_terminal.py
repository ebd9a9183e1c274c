"""Issue 22: pages as real projects write them, run on a reader's terminal, judged in bounded time.

The passing pages are tests/pages/real-world/terminal.md, windows-bom.md and progress.md
(run by test_real_world.py); here, their broken copies and the input shapes that must be
refused, each with the line and what to do.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

PAGES = ROOT / "tests" / "pages" / "real-world"


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("PS> Get-ChildItem", "`PS> ` is a PowerShell prompt"),
        ("PS C:\\Users\\me> dotnet --info", "`PS C:\\Users\\me> ` is a PowerShell prompt"),
        ("C:\\> dir", "`C:\\> ` is a Windows cmd prompt"),
        ("% brew install jq", "`% ` is a zsh prompt"),
        (">>> import sys", "`>>> ` is the Python interpreter's prompt"),
        ("(venv) $ pip install requests", "`(venv) $ ` is a bash prompt with a virtual env"),
        ("user@host:~/app$ make", "`user@host:~/app$ ` is a bash prompt shown whole"),
    ],
)
def test_another_shells_prompt_first_is_named_with_file_and_line(runner, tmp_path, line, named):
    page = tmp_path / "p.md"
    page.write_text(f"# Install\n\n```console\n{line}\n```\n", encoding="utf-8")
    run = runner("verify", "--no-cache", page)
    assert run.status == 2
    assert f"p.md:4: {named}" in run.err


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("(.venv) $ python -m pytest", "`(.venv) $ ` is a bash prompt"),
        (">>> print(1)", "`>>> ` is the Python interpreter's prompt"),
        ("PS> Get-Item .", "`PS> ` is a PowerShell prompt"),
    ],
)
def test_another_shells_prompt_under_a_command_never_becomes_expected_output(
    runner, tmp_path, line, named
):
    page = tmp_path / "p.md"
    page.write_text(f"```console\n$ echo start\nstart\n{line}\n```\n", encoding="utf-8")
    run = runner("verify", "--no-cache", page)
    assert run.status == 2
    assert f"p.md:4: {named}" in run.err


def test_a_percent_in_output_is_output(runner, tmp_path):
    page = tmp_path / "p.md"
    page.write_text("```console\n$ echo '% done'\n% done\n```\n", encoding="utf-8")
    assert runner("verify", "--no-cache", page).status == 0


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("{{#include ../src/main.sh}}", "mdBook's include"),
        ("{{#include ../src/main.sh:2:10}}", "mdBook's include"),
        ('--8<-- "snippets/install.sh"', "a Material snippet (`--8<--`)"),
        ("--8<-- 'config.yml'", "a Material snippet (`--8<--`)"),
    ],
)
def test_includes_in_a_run_block_are_refused_at_their_line(runner, tmp_path, line, named):
    page = tmp_path / "p.md"
    page.write_text(f"# Setup\n\n```console\n$ cat main.sh\n{line}\n```\n", encoding="utf-8")
    run = runner("verify", "--no-cache", page)
    assert run.status == 2
    assert f"p.md:5: {named} in a block the runner runs" in run.err


def test_an_include_in_a_block_that_does_not_run_is_the_sites_business(runner, tmp_path):
    page = tmp_path / "p.md"
    page.write_text(
        "```rust\n{{#include src/main.rs}}\n```\n\n```console\n$ echo ok\nok\n```\n",
        encoding="utf-8",
    )
    assert runner("verify", "--no-cache", page).status == 0


def test_the_bom_page_without_its_bom_handling_would_run_the_skipped_step(runner, tmp_path):
    text = (PAGES / "windows-bom.md").read_text(encoding="utf-8")
    assert text.startswith("\ufeff<!-- runner: skip=")
    broken = tmp_path / "broken.md"
    broken.write_text(text.replace('<!-- runner: skip="shows a Windows-only step" -->', ""))
    run = runner("verify", "--no-cache", broken)
    assert run.status == 1  # `exit 3` ran: the shell is gone


@pytest.mark.parametrize(
    ("changed", "shown"),
    [
        ('$ echo "pass!word"\npass!word', "+bash: !word: event not found"),
        ('$ echo "$TERM"\ndumb', "+xterm-256color"),
        ("$ trap 'echo dbg' DEBUG; echo x\nx", "+dbg"),
    ],
)
def test_the_terminal_page_fails_where_a_readers_terminal_would_differ(
    runner, tmp_path, changed, shown
):
    page = tmp_path / "p.md"
    page.write_text(f"```console\n{changed}\n```\n", encoding="utf-8")
    run = runner("verify", "--no-cache", page)
    assert run.status == 1
    assert shown in run.out


def test_a_nested_shell_waiting_for_input_fails_fast_and_names_itself(runner, tmp_path):
    page = tmp_path / "p.md"
    page.write_text(
        "<!-- runner: timeout=60 -->\n```console\n$ sh\n```\n\n```console\n$ echo no\n```\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    run = runner("verify", "--no-cache", page)
    assert time.monotonic() - started < 15
    assert run.status == 1
    assert "waiting for input: `sh` reads the terminal" in run.out


def test_a_100000_line_failure_reports_in_seconds_with_a_windowed_diff(runner, tmp_path: Path):
    expected = "\n".join(str(n) for n in range(1, 100_001))
    page = tmp_path / "p.md"
    page.write_text(
        f"```console\n$ seq 1 100000 | sed 's/^70000$/seventy thousand/'\n{expected}\n```\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    run = runner("verify", "--no-cache", page)
    assert time.monotonic() - started < 30
    assert run.status == 1
    assert "-70000" in run.out
    assert "+seventy thousand" in run.out
    assert "@@ -69997,7 +69997,7 @@" in run.out
    assert len(run.out.splitlines()) < 60


def test_many_differences_are_counted_not_listed(runner, tmp_path: Path):
    expected = "\n".join(f"line {n}" for n in range(1, 3001))
    page = tmp_path / "p.md"
    page.write_text(
        f'```console\n$ for n in $(seq 1 3000); do echo "LINE $n"; done\n{expected}\n```\n',
        encoding="utf-8",
    )
    run = runner("verify", "--no-cache", page)
    assert run.status == 1
    assert "@@ -1,3000 +1,3000 @@" in run.out
    assert "… 2980 more lines" in run.out
    assert len(run.out.splitlines()) < 100


def test_the_line_that_explains_a_failure_is_kept_above_the_tail(runner, tmp_path: Path):
    # rustup prints its error, then a page of help: the error was cut from the last 15 lines.
    script = (
        "echo 'info: syncing channel updates for nightly-2099-01-01'; "
        "echo \"error: toolchain 'nightly-2099-01-01' is not installed\"; "
        'for n in $(seq 1 20); do echo "  help: line $n"; done; exit 1'
    )
    page = tmp_path / "p.md"
    page.write_text(
        "```console\n$ bash -c \"$(cat <<'EOF'\n" + script + '\nEOF\n)"\n```\n', encoding="utf-8"
    )
    run = runner("verify", "--no-cache", page)
    assert run.status == 1
    assert "and 1 earlier line naming an error" in run.out
    assert "2| error: toolchain 'nightly-2099-01-01' is not installed" in run.out
    assert "|   help: line 20" in run.out


SILENT_SERVER = (
    "import socket, time\n"
    "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
    "print(s.getsockname()[1], flush=True); c, _ = s.accept(); time.sleep(6)\n"
)


def test_a_program_polling_a_socket_is_not_taken_for_one_waiting_for_input(page, runner, tmp_path):
    """curl polls its socket with stdin left on the terminal: it is not waiting for a reader."""
    (tmp_path / "silent.py").write_text(SILENT_SERVER)
    path = page(
        f"""
```console
$ python3 {tmp_path / "silent.py"} > port.txt &
$ sleep 0.5; curl -s --max-time 3 "http://127.0.0.1:$(cat port.txt)/"; echo "curl gave up: $?"
curl gave up: 28
```
"""
    )
    done = runner("verify", "--no-cache", path)
    assert done.status == 0, done.out
