"""`runner update` through the command line: a golden page before and after, patterns kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BEFORE = """\
# Golden

```console
$ printf 'build 42\\ntook 1.5 s\\nport 8080\\n'
build ...
took [0-9]+ ms (re)
port 80
```

<!-- runner: output=strict -->
```console
$ echo quiet; (exit 3)
[3]
$ echo same
same
```
"""

AFTER = BEFORE.replace("port 80\n", "port 8080\n").replace("3)\n[3]", "3)\nquiet\n[3]")
STALE = "page.md:6: pattern kept, no longer matches (printed 'took 1.5 s'): took [0-9]+ ms (re)"


def _update(folder: Path, *args: str, answers: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[3])}
    return subprocess.run(
        [sys.executable, "-m", "guiderunner", "update", *args, "page.md"],
        cwd=folder,
        env=env,
        input=answers,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_diff_previews_and_changes_nothing(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(BEFORE)
    run = _update(tmp_path, "--diff")
    assert run.returncode == 1, run.stderr
    assert page.read_text() == BEFORE
    assert run.stdout.startswith("--- a/page.md\n+++ b/page.md\n")
    assert "-port 80\n+port 8080\n" in run.stdout
    assert "+quiet\n [3]\n" in run.stdout
    assert "would update 2 steps in page.md (commands at lines 4, 12)" in run.stderr
    assert STALE in run.stderr
    assert "FAIL" not in run.stdout + run.stderr


def test_update_writes_the_golden_page_and_keeps_patterns(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(BEFORE)
    run = _update(tmp_path)
    assert page.read_text() == AFTER
    assert "updated 2 steps in page.md (commands at lines 4, 12)" in run.stdout
    assert STALE in run.stdout
    assert "still failing: page.md:4: output differs" in run.stdout
    assert run.returncode == 1  # the kept pattern still fails: the author fixes it
    again = _update(tmp_path, "--diff")
    assert (again.returncode, again.stdout) == (0, "")


def test_interactive_takes_only_the_accepted_changes(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(BEFORE)
    run = _update(tmp_path, "--interactive", answers="maybe\nn\ny\n")
    assert "(1/2) take this change? [y,n,q]" in run.stdout
    assert "page.md:4  $ printf" in run.stdout
    assert "+port 8080" in run.stdout
    assert page.read_text() == BEFORE.replace("3)\n[3]", "3)\nquiet\n[3]")
    assert "updated 1 step in page.md (commands at lines 12)" in run.stdout


def test_interactive_quit_and_end_of_input_keep_the_page(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(BEFORE)
    for answers in ("q\n", ""):
        run = _update(tmp_path, "-i", answers=answers)
        assert page.read_text() == BEFORE
        assert "page.md: no expected output to update" in run.stdout
