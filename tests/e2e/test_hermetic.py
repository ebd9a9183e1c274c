"""A run touches only what is its own: a scratch home per page, secrets masked everywhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.e2e.test_verify import tree_digest

HOME_PAGE = """
# Pages that write the home folder

```console
$ git config --global user.name "Page Author"
$ echo hello > ~/.something
$ mkdir -p ~/projects/demo && ls ~/projects
demo
$ cat ~/.gitconfig
[user]
	name = Page Author
$ test "$HOME" != "$REAL_HOME" && echo "a home of its own"
a home of its own
$ echo "$DOCKER_CONFIG" | grep -c "^$HOME/"
1
```
"""

SECRET_PAGE = """
# A page that prints a secret

```console
$ echo "token: $DEMO_TOKEN"
token: ***
$ printf '%s' "$DEMO_TOKEN" | rev
...
$ echo "$DEMO_TOKEN" && false
...
```
"""


def run_cli(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guiderunner", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_page_that_writes_its_home_leaves_the_given_home_unchanged(tmp_path):
    home = tmp_path / "user-home"
    (home / ".config").mkdir(parents=True)
    (home / ".gitconfig").write_text("[user]\n\tname = The User\n")
    (home / ".config" / "tool.ini").write_text("keep=me\n")
    before = tree_digest(home)
    page = tmp_path / "home.md"
    page.write_text(HOME_PAGE.lstrip())
    done = run_cli(
        tmp_path, {"HOME": str(home), "REAL_HOME": str(home)}, "verify", "--no-cache", str(page)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert tree_digest(home) == before
    assert (home / ".gitconfig").read_text() == "[user]\n\tname = The User\n"


def test_a_secret_value_appears_in_no_output_file_and_no_live_output(tmp_path):
    secret = "s3cr3t-Value-42"
    page = tmp_path / "secret.md"
    page.write_text(SECRET_PAGE.lstrip())
    junit, report = tmp_path / "junit.xml", tmp_path / "report.json"
    done = run_cli(
        tmp_path,
        {"DEMO_TOKEN": secret},
        "verify",
        "-v",
        "--no-cache",
        "--keep-going",
        "--junit",
        str(junit),
        "--json",
        str(report),
        str(page),
    )
    # The last step fails on purpose, so that the failure report (with its diff) is written too.
    assert done.returncode == 1, done.stdout + done.stderr
    assert "***" in done.stdout
    for text in (done.stdout, done.stderr, junit.read_text(), report.read_text()):
        assert secret not in text
