"""`runner serve` in Chromium: the published site live, its page verified again on save.

A small project with one plain shell page is served on a free port; the page is edited so that
a step fails, and the banner says so; fixed, it says passed. The page reloads after each
rebuild; the speaker note is on neither language's page; Ctrl-C stops it all (status 130).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.site_helpers import _free_port, chromium, require_browser
from tests.e2e.test_verify import processes_with

sync_api = require_browser()

NOTE = "Only the presenter reads this note"
PAGE = f"""
# Hello

A plain shell page.

<!-- runner: note {NOTE} -->
```console
$ echo "hello preview"
hello preview
$ expr 2 + 3
5
```
"""
CONFIG = """
site_name: Preview fixture
docs_dir: docs
site_dir: site
nav:
  - index.md
theme:
  name: material
  font: false
plugins:
  - search
  - runner:
      timeout: 20
      translations: [fr]
"""
BOUND = 90.0  # seconds for a rebuild and a verification on a busy machine


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent(CONFIG).lstrip())
    (tmp_path / "docs" / "index.md").write_text(textwrap.dedent(PAGE).lstrip())
    return tmp_path


@pytest.fixture
def serving(project: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "guiderunner", "serve", "--port", str(port)]
    server = subprocess.Popen(
        command,
        cwd=project,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until(lambda: _listening(port), "the preview listens")
        yield server, f"http://127.0.0.1:{port}/"
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_until(condition: Callable[[], object], what: str, seconds: float = BOUND) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:.0f}s: {what}")
        time.sleep(0.25)


def banner(tab: object) -> tuple[str, str]:
    """The banner's state and text; ("", "") while the page reloads."""
    try:
        found = tab.evaluate(  # type: ignore[attr-defined]
            "() => { const b = document.getElementById('runner-preview');"
            " return b ? [b.dataset.state, b.textContent] : ['', '']; }"
        )
    except sync_api.Error:
        return "", ""
    return str(found[0]), str(found[1])


def reloaded(tab: object) -> bool:
    """Whether the page was loaded again since the mark was set (False while it reloads)."""
    try:
        return bool(tab.evaluate("() => window.notReloaded === undefined"))  # type: ignore[attr-defined]
    except sync_api.Error:
        return False


def test_the_banner_follows_the_page_being_edited(project, serving):
    server, url = serving
    page = project / "docs" / "index.md"
    with chromium(sync_api) as browser:
        tab = browser.new_page()  # type: ignore[attr-defined]
        tab.goto(url)
        assert "hello preview" in tab.content()
        assert banner(tab)[1].startswith("runner serve: save a page")
        assert NOTE not in tab.content()
        french = browser.new_page()  # type: ignore[attr-defined]
        french.goto(url + "fr/")
        assert "hello preview" in french.content()
        assert NOTE not in french.content(), "the note is on no page of the site"

        tab.evaluate("() => { window.notReloaded = true; }")
        page.write_text(page.read_text().replace("\n5\n", "\n6\n"))
        wait_until(lambda: banner(tab)[0] == "failed", "the banner shows the failure")
        assert "index.md: failed at line 9: output differs" in banner(tab)[1]
        wait_until(lambda: reloaded(tab), "a reload")
        assert ">6<" in tab.content() or "\n6\n" in tab.inner_text("body"), "the page rebuilt"

        page.write_text(page.read_text().replace("\n6\n", "\n5\n"))
        wait_until(lambda: banner(tab)[0] == "passed", "the banner shows the fix")
        assert banner(tab)[1] == "index.md: passed 2/2"

        fixed = page.read_text()
        page.write_text(fixed.replace("runner: note", "runner: nonsense"))
        wait_until(lambda: banner(tab)[0] == "error", "the banner names the invalid page")
        assert "index.md:5: unknown directive `nonsense`" in banner(tab)[1]
        page.write_text(fixed)
        wait_until(lambda: banner(tab)[0] == "passed", "valid again")

    server.send_signal(signal.SIGINT)
    out, _ = server.communicate(timeout=30)
    assert server.returncode == 130, out
    assert "interrupted; everything it started was stopped" in out
    assert not processes_with(str(project)), "no verify process left"
    assert not in_session(server.pid), "nothing the preview started is left running"


def in_session(session: int) -> list[int]:
    """Processes of this session (the preview ran in one of its own)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        if stat and int(stat.rsplit(")", 1)[1].split()[3]) == session:
            found.append(int(entry.name))
    return found
