"""The package in a repository that holds nothing of ours: a wheel, a fresh venv, one page.

A temporary git repository with one plain shell page and a minimal mkdocs.yml; the wheel built
from this checkout and installed with pip into a fresh virtual environment from the wheelhouse
(../shared/wheels, offline). `runner verify`, `runner publish` and `pytest --guides` must work
there, the site must ask 127.0.0.1 only, and nothing of this repository's sample (StockKube,
.NET) may show in what they print or in the site. The wheel is built once per session.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT
from tests.e2e.site_helpers import chromium, require_browser, served, watched_tab

WHEELS = ROOT.parent / "shared" / "wheels"
if not WHEELS.is_dir():
    WHEELS = Path("/work/shared/wheels")
FOREIGN = re.compile(r"stockkube|\.NET\b|dotnet", re.IGNORECASE)
"""What this repository's own sample is called: never in an outside repository's output."""

PAGE = """\
# Hello

A page of an outside repository: one shell command.

```console
$ echo "hello from $(basename "$PWD")" | tr a-z A-Z | cut -c1-10
HELLO FROM
```
"""
FAILING = """\
# Broken

```console
$ printf 'one\\ntwo\\n'
one
three
```
"""
CONFIG = """\
site_name: Outside docs
nav:
  - index.md
theme:
  name: material
plugins:
  - search
  - runner
"""

pytestmark = pytest.mark.skipif(not WHEELS.is_dir(), reason="needs the wheelhouse ../shared/wheels")


@dataclass(frozen=True)
class Installed:
    """A fresh venv with the wheel, and the repository it runs in."""

    bin: Path
    repo: Path


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout, built once per session, offline (hatchling: the wheelhouse)."""
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source") / "guiderunner"
    shutil.copytree(ROOT, source, ignore=_only_the_package)
    pip = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-index"]
    done = _run([*pip, "--find-links", str(WHEELS), "-w", str(out), str(source)], cwd=out)
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("guiderunner-*.whl")
    return built


def _only_the_package(folder: str, names: list[str]) -> list[str]:
    """At the checkout's root, everything but what the wheel is built from; below it, caches."""
    if Path(folder) == ROOT:
        return [n for n in names if n not in ("guiderunner", "pyproject.toml", "README.md")]
    return [n for n in names if n == "__pycache__"]


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """A fresh venv holding the wheel (with its `site` extra and pytest), and a git repository."""
    venv = tmp_path_factory.mktemp("venv") / "v"
    assert _run([sys.executable, "-m", "venv", str(venv)]).returncode == 0
    pip = [str(venv / "bin" / "pip"), "install", "-q", "--no-index", "--find-links", str(WHEELS)]
    done = _run([*pip, "--find-links", str(wheel.parent), "guiderunner[site]", "pytest"])
    assert done.returncode == 0, done.stderr
    repo = tmp_path_factory.mktemp("outside") / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "docs" / "index.md").write_text(PAGE, encoding="utf-8")
    (repo / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    assert _run(["git", "init", "-q", str(repo)]).returncode == 0
    return Installed(venv / "bin", repo)


def _run(
    argv: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """A command with a clean environment: no PYTHONPATH pointing at this checkout."""
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        argv,
        cwd=cwd,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _runner(installed: Installed, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return _run([str(installed.bin / "runner"), *args], cwd=installed.repo, env=env)


def test_the_package_is_imported_from_the_venv_not_this_checkout(installed: Installed) -> None:
    code = "import guiderunner, sys; print(guiderunner.__file__, guiderunner.__version__)"
    done = _run([str(installed.bin / "python"), "-c", code], cwd=installed.repo)
    where, version = done.stdout.split()
    assert where.startswith(str(installed.bin.parent)), where
    assert _runner(installed, "--version").stdout.strip() == f"runner {version}"


def test_verify_publish_and_pytest_work_and_say_nothing_of_our_sample(
    installed: Installed,
) -> None:
    verify = _runner(installed, "verify", "--json", "out/report.json")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "1 passed" in verify.stdout
    publish = _runner(installed, "publish", "--report", "out/report.json")
    assert publish.returncode == 0, publish.stdout + publish.stderr
    site = installed.repo / "site"
    assert not (site / "fr").exists(), "one language unless more are configured"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'class="verified"[^>]*>\s*<time', index), "the badge says verified"
    assert (site / "assets" / "stylesheets" / "runner.css").is_file(), "the badge's style"
    tests = _run(
        [
            str(installed.bin / "python"),
            "-m",
            "pytest",
            "--guides",
            "docs/",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=installed.repo,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "1 passed" in tests.stdout
    helps = [_runner(installed, "--help"), _runner(installed, "verify", "--help")]
    for done in (verify, publish, tests, *helps):
        assert not FOREIGN.search(done.stdout + done.stderr), done.stdout + done.stderr
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css", ".json", ".xml", ".js") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            found = re.search(r"stockkube|\.NET\b", text, re.IGNORECASE)
            assert found is None, f"{path}: {text[max(0, found.start() - 60) : found.end() + 60]}"


def test_a_page_left_out_of_the_nav_is_named(installed: Installed) -> None:
    extra = installed.repo / "docs" / "extra.md"
    extra.write_text("# Extra\n\nNot in the nav.\n", encoding="utf-8")
    try:
        publish = _runner(installed, "publish")
    finally:
        extra.unlink()
    assert publish.returncode == 0, publish.stdout + publish.stderr
    assert "warning: docs/extra.md is not in the nav of mkdocs.yml" in publish.stdout


def test_the_site_asks_no_host_but_127_0_0_1(installed: Installed) -> None:
    sync_api = require_browser()
    site = installed.repo / "site"
    if not (site / "index.html").is_file():
        assert _runner(installed, "publish").returncode == 0
    with served(site) as base, chromium(sync_api) as browser:
        context, tab, requests, errors = watched_tab(browser, 1200, console_errors=False)
        try:
            tab.goto(base, wait_until="networkidle")
            tab.keyboard.press("/")  # the search box loads the search worker and index
            tab.keyboard.type("hello")
            tab.wait_for_timeout(500)
        finally:
            context.close()
    hosts = {
        urlsplit(url).hostname for url in requests if urlsplit(url).scheme in ("http", "https")
    }
    assert hosts == {"127.0.0.1"}, requests
    assert not errors, errors


def test_a_failing_step_is_a_github_annotation_at_its_line(installed: Installed) -> None:
    broken = installed.repo / "docs" / "broken.md"
    broken.write_text(FAILING, encoding="utf-8")
    try:
        done = _runner(installed, "verify", "docs/broken.md", GITHUB_ACTIONS="true")
        quiet = _runner(installed, "verify", "docs/broken.md", GITHUB_ACTIONS="")
    finally:
        broken.unlink()
    assert done.returncode == 1
    (line,) = [line for line in done.stdout.splitlines() if line.startswith("::error ")]
    assert line.startswith(
        "::error file=docs/broken.md,line=4,endLine=4,title=$ printf 'one\\ntwo\\n' (failed)::"
    )
    message = line.split("::", 2)[2]
    assert "\n" not in message
    assert "%0A" in message, "newlines of the details are escaped"
    assert "-three" in message.replace("%0A", "\n")
    assert "::error" not in quiet.stdout, "no annotation outside GitHub Actions"


def test_no_help_names_our_sample(installed: Installed) -> None:
    names = ["list", "verify", "report", "step", "update", "reset", "toolchain", "i18n", "publish"]
    for name in names:
        done = _runner(installed, name, "--help")
        assert done.returncode == 0, done.stderr
        assert not FOREIGN.search(done.stdout), f"runner {name} --help: {done.stdout}"
