"""`pytest --guides`: ids that carry the command, a selected step after its setup, skip reasons."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.test_pytest_plugin import pytest_run

pytestmark = pytest.mark.timeout(300)

PAGE = """\
# Page

```console
$ export GREETING=hello
$ mkdir -p site && echo "$GREETING" > site/index.html
```

<!-- runner: skip="needs the network" -->
```console
$ curl -s https://example.com
```

```console
$ cat site/index.html
hello
$ echo a::b   two   spaces
a::b two spaces
$ echo same
same
$ echo same
same
```
"""


def _page(tmp_path: Path, text: str = PAGE) -> None:
    (tmp_path / "page.md").write_text(text, encoding="utf-8")


def test_ids_carry_the_line_and_the_command_and_stay_unique(tmp_path: Path) -> None:
    _page(tmp_path)
    done = pytest_run(tmp_path, "--guides", "page.md", "--collect-only", "-q")
    ids = [line for line in done.stdout.splitlines() if line.startswith("page.md::")]
    assert ids == [
        "page.md::L4 export GREETING=hello",
        'page.md::L5 mkdir -p site && echo "$GREETING" > site/index.html',
        "page.md::L10 curl -s https://example.com",
        "page.md::L14 cat site/index.html",
        "page.md::L16 echo a:b two spaces",
        "page.md::L18 echo same",
        "page.md::L20 echo same",
    ]


def test_k_selects_by_command_and_runs_the_earlier_steps_as_setup(tmp_path: Path) -> None:
    _page(tmp_path)
    done = pytest_run(tmp_path, "--guides", "page.md", "-v", "-k", "cat")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "page.md::L14 cat site/index.html PASSED" in done.stdout
    assert "page.md: 1 of 7 steps selected; 3 earlier step(s) run first as setup" in done.stdout
    assert re.search(r"\b1 passed, 6 deselected\b", done.stdout)


def test_a_node_id_typed_back_selects_that_step(tmp_path: Path) -> None:
    _page(tmp_path)
    done = pytest_run(tmp_path, "--guides", "page.md::L16 echo a:b two spaces", "-v")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b1 passed\b", done.stdout)


def test_a_failing_setup_step_fails_the_selected_one_and_names_itself(tmp_path: Path) -> None:
    _page(tmp_path, PAGE.replace("> site/index.html\n", "> site/index.html && false\n"))
    done = pytest_run(tmp_path, "--guides", "page.md", "-k", "cat")
    assert done.returncode == 1
    assert "an earlier step, run as this one's setup, failed at page.md:5" in done.stdout


def test_a_blocks_own_skip_reason_is_kept_after_a_failure(tmp_path: Path) -> None:
    _page(tmp_path, PAGE.replace("$ export GREETING=hello", "$ false"))
    done = pytest_run(tmp_path, "--guides", "page.md", "-rs")
    assert done.returncode == 1
    assert "SKIPPED [1] page.md:10: needs the network" in done.stdout
    assert re.search(r"SKIPPED \[1\] page.md:14: not run: page.md:4 failed", done.stdout)
