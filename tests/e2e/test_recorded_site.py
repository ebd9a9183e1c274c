"""`runner verify --record`, then `runner publish`, through the real CLI; the site in chromium.

A copy of the project verifies docs/authoring.md (no Docker) and a page that echoes a secret
from the runner's environment, in English and French, recording both; publish builds the site
with those recordings and the player from the project's npm install. Debian's chromium then
opens the English and French authoring pages served on 127.0.0.1: the player is there, loads
nothing from other hosts, plays, and a chapter seeks to its step's command.

The secret is the value of DEMO_TOKEN in the runner's environment: the runner's secret masking
(guiderunner.run.secrets, an output filter of every page) must keep it out of the recording, which
the recorder masks with the page's own output filters.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from guiderunner.cli.main import main
from guiderunner.report.recording import read_recording
from tests.e2e.site_helpers import (
    SCREENSHOTS,
    chromium,
    copy_project,
    require_browser,
    served,
    wait_for_text,
    watched_tab,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

SECRET = "s3cr3t"
SECRET_PAGE = """\
# A page with a secret

```console
$ echo "the token is $DEMO_TOKEN"
the token is ...
$ printf '%s\\n' "$DEMO_TOKEN" | wc -c
7
```
"""
SEEK_TO = "printf 'one\\ntwo\\nthree\\n'"
"""A command of docs/authoring.md whose chapter the browser seeks to."""

sync_api = require_browser()


def copy_project_with_player(where: Path) -> Path:
    """The project's pages, translations and config, and the sample: the player is package data."""
    project = copy_project(where)
    (project / "docs" / "secret.md").write_text(SECRET_PAGE, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """verify --record then publish, in process through `guiderunner.cli.main`, in a copy."""
    work = tmp_path_factory.mktemp("recorded")
    project = copy_project_with_player(work)
    record, report = work / "recordings", work / "report.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        patch.setenv("XDG_CACHE_HOME", str(work / "cache"))
        patch.setenv("XDG_STATE_HOME", str(work / "state"))
        patch.setenv("DEMO_TOKEN", SECRET)
        verified = main(
            ["verify", "--lang", "all", "--record", str(record), "--json", str(report),
             "docs/authoring.md", "docs/secret.md"]
        )  # fmt: skip
        started = time.monotonic()
        published = main(["publish", "--recordings", str(record), "--report", str(report)])
        took = time.monotonic() - started
    assert verified == 0
    assert published == 0
    return {"project": project, "record": record, "site": project / "site", "publish": took}


def test_one_recording_per_page_french_reuses_the_english(built: dict[str, Any]):
    record = built["record"]
    index = json.loads((record / "recordings.json").read_text(encoding="utf-8"))["pages"]
    assert index["en"]["authoring.md"]["cast"] == "authoring.cast"
    assert index["fr"]["authoring.md"] == index["en"]["authoring.md"], "same plan, same file"
    assert not (record / "fr").exists()
    assert not (record / "index.cast").exists(), "a page without steps has nothing to watch"
    markers = read_recording(record / "authoring.cast").markers
    assert len(markers) > 10
    assert any(SEEK_TO in m.label for m in markers)
    text = (record / "authoring.cast").read_text(encoding="utf-8")
    assert "the file is there" not in text, "a hidden block stays out, as on the site"
    assert "]777;" not in text, "no runner marker (OSC 777)"
    sizes = {p.name: p.stat().st_size for p in record.glob("*.cast")}
    print(f"recordings: {sizes}; publish took {built['publish']:.2f} s")


def test_the_secret_never_reaches_a_recording_or_the_site(built: dict[str, Any]):
    cast = (built["record"] / "secret.cast").read_text(encoding="utf-8")
    assert "the token is ***" in cast
    for path in [*built["record"].rglob("*"), *built["site"].rglob("*")]:
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_the_built_pages_carry_the_player_under_the_badge(built: dict[str, Any]):
    site = built["site"]
    for page, cast in (("authoring", "../"), ("fr/authoring", "../../")):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert f'data-cast="{cast}assets/recordings/authoring.cast"' in html
        assert '<p class="verified" ' in html, "the page passed: its badge says so"
        assert html.index('<p class="verified" ') < html.index('<details class="recording"')
        assert html.count('class="verified-mark"') >= 10
    assert (site / "assets/recordings/player/asciinema-player.min.js").is_file()
    assert 'class="recording"' not in (site / "index.html").read_text(encoding="utf-8")
    assert not (site / "assets/recordings/fr").exists(), "French shows the English recording"


@pytest.fixture(scope="module")
def base_url(built: dict[str, Any]) -> Iterator[str]:
    with served(built["site"]) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium(sync_api) as launched:
        yield launched


@pytest.mark.parametrize("language", ["", "fr/"])
def test_the_player_loads_plays_and_seeks_to_a_step(
    browser: object, base_url: str, language: str
) -> None:
    context, tab, requests, errors = watched_tab(browser, 1100, console_errors=False)
    tab.goto(base_url + language + "authoring/")
    details = tab.locator("details.recording")
    assert details.get_attribute("open") is None, "collapsed by default"

    tab.locator("details.recording > summary").click()
    tab.locator(".ap-player").wait_for(state="visible", timeout=15000)
    chapters = tab.locator(".recording-chapters button")
    chapters.filter(has_text=SEEK_TO).first.click()  # seek, paused, to that step
    wait_for_text(tab, "$ " + SEEK_TO)
    shown = [line.rstrip() for line in tab.locator(".ap-term-text").inner_text().splitlines()]
    after = shown[shown.index("$ " + SEEK_TO) + 1 :]
    assert "three" not in after, "the player stopped at the start of the step"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"recorded-{language.strip('/') or 'en'}.png"))

    tab.evaluate(
        "guiderunnerRecordings.player(document.querySelector('details.recording'))"
        ".then(p => p.play())"
    )
    wait_for_text(tab, "three")  # it plays on from there

    hosts = {urlsplit(url).hostname for url in requests if url.startswith("http")}
    assert hosts == {"127.0.0.1"}, "nothing from other hosts"
    casts = [urlsplit(url).path for url in requests if url.endswith(".cast")]
    assert casts == ["/assets/recordings/authoring.cast"], "French plays the English recording"
    assert errors == []
    context.close()
