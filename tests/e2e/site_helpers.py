"""What the tests of a built site share: the project copied, the site served, chromium.

The browser tests (site, French site, recorded site, player) each built a copy of the
project, served a site on 127.0.0.1 and launched Debian's chromium the same way; this is
that one way. Nothing here imports playwright until a browser is asked for, so the tests
that only read HTML (test_site_french.py, test_site_real.py) import it freely.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest

from guiderunner.parse import parse_guide
from guiderunner.plan import plan_guide, plan_settings
from guiderunner.settings import load_settings
from guiderunner.store.cache import content_hash
from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "out" / "screenshots"


def require_browser() -> ModuleType:
    """Playwright's sync API; the calling module is skipped without it, the site or chromium."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (test extra)")
    pytest.importorskip("material", reason="needs the `site` extra (mkdocs-material)")
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium: apt-get install chromium", allow_module_level=True)
    return sync_api


@contextmanager
def chromium(sync_api: ModuleType) -> Iterator[object]:
    """Debian's chromium, headless and quiet (no background traffic), closed on leaving."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def served(site: Path) -> Iterator[str]:
    """`site` served by http.server on a free port of 127.0.0.1; yields its base URL."""
    port = _free_port()
    command = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory"]
    server = subprocess.Popen(
        [*command, str(site), str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for(port)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


def watched_tab(
    browser: object, width: int, *, console_errors: bool
) -> tuple[object, object, list[str], list[str]]:
    """A tab in a context of its own: (context, tab, every URL requested, what went wrong).

    What went wrong: responses of 400 and up, page errors, and console errors if asked.
    """
    context = browser.new_context(viewport={"width": width, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    context.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
    tab = context.new_page()
    if console_errors:
        tab.on("console", lambda m: m.type == "error" and errors.append(f"{m.text} {m.location}"))
    tab.on("pageerror", lambda e: errors.append(str(e)))
    return context, tab, requests, errors


def copy_project(where: Path) -> Path:
    """The project's pages, translations and config in `where/project`, sample linked."""
    project = where / "project"
    project.mkdir()
    for name in ("docs", "translations"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "sample-solution").symlink_to(ROOT / "sample-solution")
    return project


def page_hash(project: Path, page: str) -> str:
    """The content hash a report must carry for `page` of `project` to count as verified."""
    settings = load_settings(project / "mkdocs.yml")
    text = (project / "docs" / page).read_text(encoding="utf-8")
    plan = plan_guide(parse_guide(page, text), plan_settings(settings))
    return content_hash(plan, settings.sample, settings.env)


def wait_for_text(tab: object, text: str) -> None:
    """Until the player's terminal shows `text` (bounded: 15 s)."""
    tab.wait_for_function(
        "t => (document.querySelector('.ap-term-text') || {innerText: ''}).innerText.includes(t)",
        arg=text,
        timeout=15000,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"http.server did not listen on port {port}")
