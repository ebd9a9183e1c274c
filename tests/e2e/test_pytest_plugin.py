"""`pytest --guides`: pages as tests, run by the runner's own PageRun, in a real pytest process."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from guiderunner.parse import parse_guide
from guiderunner.plan import plan_guide, plan_settings
from guiderunner.settings import load_settings
from tests.conftest import ROOT

pytestmark = pytest.mark.timeout(300)
AUTHORING = ROOT / "docs" / "authoring.md"


def pytest_run(cwd: Path, *args: str, **variables: str) -> subprocess.CompletedProcess[str]:
    """`python -m pytest ARGS` with this checkout's runner and its plugin (installed or not)."""
    installed = any(
        e.value == "guiderunner.cli.pytest_plugin" for e in entry_points(group="pytest11")
    )
    plugin = [] if installed else ["-p", "guiderunner.cli.pytest_plugin"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), **variables}
    return subprocess.run(
        [sys.executable, "-m", "pytest", *plugin, "-p", "no:cacheprovider", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def steps_of(page: Path) -> int:
    settings = load_settings(None)
    return len(plan_guide(parse_guide(str(page), page.read_text()), plan_settings(settings)).steps)


def test_the_authoring_page_passes_one_test_per_step_in_pytests_own_junit(tmp_path: Path):
    page = tmp_path / "authoring.md"
    shutil.copy(AUTHORING, page)
    done = pytest_run(tmp_path, "--guides", "authoring.md", "--junitxml", "junit.xml")
    assert done.returncode == 0, done.stdout + done.stderr
    cases = ET.parse(tmp_path / "junit.xml").getroot().iter("testcase")
    outcomes = [
        "skipped" if case.find("skipped") is not None else "passed"
        for case in cases
        if case.find("failure") is None and case.find("error") is None
    ]
    assert len(outcomes) == steps_of(page)
    assert outcomes.count("skipped") == 2  # the Docker Hub login, and the macOS tab


def test_a_broken_copy_fails_at_its_file_and_line_with_the_runners_diff(tmp_path: Path):
    text = AUTHORING.read_text(encoding="utf-8")
    assert "\nthe file is there\n" in text
    (tmp_path / "broken.md").write_text(
        text.replace("\nthe file is there\n", "\nthe file is NOT there\n", 1), encoding="utf-8"
    )
    line = text.split("\nthe file is there\n")[0].count("\n") + 1  # the command's line
    done = pytest_run(tmp_path, "--guides", "broken.md", "-rs")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"at broken.md:{line}: output differs" in done.stdout
    assert "      -the file is NOT there\n      +the file is there" in done.stdout
    assert re.search(rf"SKIPPED \[1\] broken.md:\d+: not run: broken.md:{line} failed", done.stdout)


PAGE = """\
# Page {name}

```console
$ export WHO={name} && echo $$ > pid-{name}
```

{checks}
"""
CHECK = """\
```console
$ echo "$WHO in $(cat pid-{name})" && [ "$(cat pid-{name})" = "$$" ] && echo same shell
{name} in ...
same shell
```
"""


def test_a_page_stays_on_one_worker_under_loadgroup(tmp_path: Path):
    for name in ("alpha", "beta", "gamma"):
        page = PAGE.format(name=name, checks="\n".join([CHECK.format(name=name)] * 6))
        (tmp_path / f"{name}.md").write_text(textwrap.dedent(page), encoding="utf-8")
    done = pytest_run(tmp_path, "--guides", ".", "-n", "2", "--dist", "loadgroup", "-v")
    assert done.returncode == 0, done.stdout + done.stderr
    workers: dict[str, set[str]] = {}
    for worker, page in re.findall(r"\[(gw\d)\] \[ *\d+%\] PASSED (\w+)\.md::", done.stdout):
        workers.setdefault(page, set()).add(worker)
    assert sorted(workers) == ["alpha", "beta", "gamma"]
    assert all(len(found) == 1 for found in workers.values()), workers
    assert re.search(r"\b21 passed\b", done.stdout)


def test_without_guides_pytest_collects_no_page(tmp_path: Path):
    shutil.copy(AUTHORING, tmp_path / "authoring.md")
    done = pytest_run(tmp_path, ".")
    assert done.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, done.stdout
    assert "collected 0 items" in done.stdout


def test_a_page_that_cannot_start_says_why_in_one_line(tmp_path: Path):
    page = "# D\n\n```console\n$ docker ps\n```\n\n```console\n$ true\n```\n"
    (tmp_path / "docker.md").write_text(page, encoding="utf-8")
    nowhere = f"unix://{tmp_path}/none.sock"
    done = pytest_run(tmp_path, "--guides", "docker.md", "-rs", DOCKER_HOST=nowhere)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"docker.md:4: runner: no Docker engine answers at {nowhere}" in done.stdout
    assert "Traceback" not in done.stdout
    assert re.search(r"SKIPPED \[1\] docker.md:8: not run: docker.md:4 failed", done.stdout)
