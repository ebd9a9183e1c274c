"""Shared helpers: write a page, run `runner` in process, find leftover processes."""

from __future__ import annotations

import functools
import os
import re
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from guiderunner.cli.main import main

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Run:
    status: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def _private_cache_and_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the verify cache and the record of leftovers out of the user's home, one per test."""
    base = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(base / "state"))


def own_home(folder: Path) -> dict[str, str]:
    """This process's environment with a HOME of the test's own: a shell built directly (not
    through a page's run, which has its scratch home) must not write `~/.lesshst` and the like
    into the user's."""
    home = folder / "home"
    home.mkdir(exist_ok=True)
    return {**os.environ, "HOME": str(home)}


@pytest.fixture
def page(tmp_path: Path) -> Callable[[str], Path]:
    """Write a guide page (dedented) into tmp_path and return its path."""
    counter = iter(range(1000))

    def write(text: str, name: str | None = None) -> Path:
        path = tmp_path / (name or f"page{next(counter)}.md")
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def runner(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Call `runner` in process from tmp_path (no mkdocs.yml there) and capture its output."""
    monkeypatch.chdir(tmp_path)

    def run(*argv: str | Path) -> Run:
        status = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


def _fail_skips_under_ci(report: pytest.CollectReport | pytest.TestReport) -> None:
    """In CI a skipped end-to-end test is a missing install step, not a pass: fail it."""
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, which must run every test: {report.longrepr}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    _fail_skips_under_ci(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    outcome = yield
    _fail_skips_under_ci(outcome.get_result())


PART_VARIABLE = "RUNNER_TEST_PART"
"""The parts of the suite this pytest runs, comma-separated (./dev test runs them side by side):
`engine`, the tests that use the shared Docker engine, together and one at a time, because
several compare the engine's whole state before and after a run; `own-engine`, the tests marked
`own_engine`, which need an engine to themselves (tests/own_namespace.py gives them one);
`others`, all the rest, beside them."""

PARTS = ("engine", "own-engine", "others")


DOCKER_WORD = re.compile(r"(?<![\w/.-])docker(?![\w.-])")
"""The docker command as a word (not `create-docker-images`, `Dockerfile` or `DOCKER_HOST`)."""


def _uses_engine(item: pytest.Item) -> bool:
    """Marked `docker`, named for Docker, or a module whose pages or code call `docker`."""
    path = Path(str(item.fspath))
    if item.get_closest_marker("docker") or "docker" in path.name:
        return True
    return DOCKER_WORD.search(_module_text(path)) is not None


@functools.cache
def _module_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _part_of(item: pytest.Item) -> str:
    if item.get_closest_marker("own_engine"):
        return "own-engine"
    return "engine" if _uses_engine(item) else "others"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    asked = os.environ.get(PART_VARIABLE)
    if not asked:
        return
    parts = set(asked.split(","))
    if not parts <= set(PARTS):
        raise pytest.UsageError(f"{PART_VARIABLE}={asked}: the parts are {', '.join(PARTS)}")
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        (kept if _part_of(item) in parts else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = kept
