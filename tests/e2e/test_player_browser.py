"""A recording of a real bash, played on a static page in Debian's chromium.

The recording is made the way `runner verify --record` will make it: the page runs in its
lifecycle (PageRun), whose raw-output and step-started seams feed a PageRecording. A one-page
mkdocs-material site is built with a hook that does what the runner plugin will do
(guiderunner.site.recordings: the player's snippet under the title, a "verified" mark under each
console block), the player is copied from the project's npm install, and the site is served
on 127.0.0.1 and opened through playwright. Screenshots go to out/screenshots/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from guiderunner.match import judge
from guiderunner.parse import parse_guide
from guiderunner.plan import PlanSettings, plan_guide
from guiderunner.report.asciicast import Recorder
from guiderunner.report.page_recording import PageRecording
from guiderunner.report.recording import read_recording
from guiderunner.run.lifecycle import PageOptions, run_page
from guiderunner.run.seams import Extensions
from guiderunner.site.recordings import install_recordings, recording_entries
from tests.e2e.site_helpers import (
    SCREENSHOTS,
    chromium,
    require_browser,
    served,
    wait_for_text,
    watched_tab,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

ROOT = Path(__file__).resolve().parents[2]
PAGE = """\
# Three steps

```console
$ echo first step
first step
```

A pause the recording shortens.

```console
$ sleep 2.5 && printf 'second: %s\\n' 'é✓'
second: é✓
$ seq 1 3
1
2
3
```
"""

sync_api = require_browser()


def _commands(page: str) -> list[tuple[int, str]]:
    return [(n, line[2:]) for n, line in enumerate(page.split("\n"), 1) if line.startswith("$ ")]


@pytest.fixture(scope="module")
def cast(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page run by its lifecycle in a real bash, recorded through its seams."""
    work = tmp_path_factory.mktemp("record")
    path = work / "three-steps.cast"
    settings = PlanSettings(timeout=30, ready_timeout=10, placeholders={}, sample=None, environ={})
    plan = plan_guide(parse_guide("three-steps.md", PAGE), settings)
    with Recorder(path, "three-steps.md") as recorder:
        recording = PageRecording(recorder)
        extensions = Extensions(
            raw_observers=(recording.raw,), step_started=(recording.step_started,)
        )
        options = PageOptions(
            sample=None,
            base_env=dict(os.environ),
            extra_env={},
            record=work / "record",
            extensions=extensions,
        )
        result = run_page(plan, options, judge, keep_going=False)
    assert [v.outcome for v in result.verdicts] == ["passed"] * 3
    return path


HOOK = """\
import json, os
from pathlib import Path
from guiderunner.site.recordings import decorate

ENTRIES = json.loads(Path(os.environ["RECORDING_ENTRIES"]).read_text(encoding="utf-8"))

def on_page_markdown(markdown, page, config, files):
    return decorate(markdown, ENTRIES.get(page.file.src_uri), page.url, "", "en")
"""
"""What the runner plugin will do: decorate each recorded page before it adds the badge."""
CONFIG = """\
site_name: Recordings
theme: {name: material, font: false}
markdown_extensions: [pymdownx.highlight, pymdownx.superfences]
hooks: [hooks.py]
"""


@pytest.fixture(scope="module")
def site(cast: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-page mkdocs-material site with the page's player, recording and marks."""
    project = tmp_path_factory.mktemp("site")
    (project / "docs").mkdir()
    (project / "docs" / "three-steps.md").write_text(PAGE, encoding="utf-8")
    (project / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (project / "hooks.py").write_text(HOOK, encoding="utf-8")
    entries = recording_entries(
        {"three-steps.md": cast}, project / "docs", {"three-steps.md": ["en"]}
    )
    (project / "entries.json").write_text(json.dumps(entries), encoding="utf-8")
    env = {
        **os.environ,
        "RECORDING_ENTRIES": str(project / "entries.json"),
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml"]
    built = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert built.returncode == 0, built.stdout + built.stderr
    install_recordings(entries, project / "site")
    return project / "site"


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with served(site) as url:
        yield url


@pytest.fixture
def page(base_url: str) -> Iterator[tuple[object, list[str], list[str]]]:
    with chromium(sync_api) as browser:
        _, tab, requests, errors = watched_tab(browser, 1000, console_errors=True)
        tab.goto(base_url + "three-steps/")
        yield tab, requests, errors


PLAYER = "guiderunnerRecordings.player(document.querySelector('details.recording'))"


def terminal_text(tab: object) -> str:
    return str(tab.locator(".ap-term-text").inner_text())


def test_the_recording_has_a_marker_per_step_and_was_shortened(cast: Path):
    recording = read_recording(cast)
    assert [m.line for m in recording.markers] == [line for line, _ in _commands(PAGE)]
    assert recording.shortened is not None
    events = [json.loads(line) for line in cast.read_text(encoding="utf-8").splitlines()[1:]]
    typed = next(e[0] for e in events if e[1] == "o" and "$ sleep 2.5" in e[2])
    printed = next(e[0] for e in events if e[1] == "o" and "second: " in e[2])
    assert printed - typed < 2.0, "the 2.5 s sleep plays shorter"
    assert "]777;" not in cast.read_text(encoding="utf-8")  # OSC 777, not a time


def test_player_loads_from_the_site_plays_and_seeks_to_a_step(page: tuple[object, list, list]):
    tab, requests, errors = page
    details = tab.locator("details.recording")
    assert details.get_attribute("open") is None, "collapsed by default"
    assert not any("asciinema-player.min.js" in url for url in requests), "loaded when opened"

    tab.locator("details.recording > summary").click()
    tab.locator(".ap-player").wait_for(state="visible", timeout=15000)
    chapters = tab.locator(".recording-chapters button")
    assert chapters.all_inner_texts() == [f"$ {c}" for _, c in _commands(PAGE)]

    chapters.nth(1).click()  # seek, paused, to the second step
    wait_for_text(tab, "$ sleep 2.5")
    shown = [line.strip() for line in terminal_text(tab).splitlines()]
    assert "first step" in shown, "what came before the step is on screen"
    assert shown[shown.index("$ sleep 2.5 && printf 'second: %s\\n' 'é✓'") + 1] == "", (
        "and nothing after its command"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / "player-seek.png"))

    tab.evaluate(f"{PLAYER}.then(p => p.play())")
    wait_for_text(tab, "$ seq 1 3")
    wait_for_text(tab, "second: é✓")
    tab.screenshot(path=str(SCREENSHOTS / "player-played.png"))
    assert errors == []
    hosts = {urlsplit(url).hostname for url in requests if url.startswith("http")}
    assert hosts == {"127.0.0.1"}
    assert any(url.endswith("/assets/recordings/three-steps.cast") for url in requests)


def test_a_verified_mark_jumps_to_its_step(page: tuple[object, list, list]):
    tab, _, errors = page
    marks = tab.locator("a.verified-mark")
    assert marks.count() == 2
    marks.nth(1).click()
    assert tab.locator("details.recording").get_attribute("open") is not None
    wait_for_text(tab, "$ sleep 2.5")
    assert "$ seq 1 3" not in terminal_text(tab), "the player stopped at that step's start"
    tab.screenshot(path=str(SCREENSHOTS / "player-mark.png"), full_page=True)
    assert errors == []
