"""`runner verify --shard`, durations, French pages carried over, `runner report merge`.

Pages here are tiny (one `echo` each) and run in a real bash, so what is checked is the whole
command: planning, the split, the run, the reports.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from guiderunner.store.cache import cache_dir
from guiderunner.store.durations import load_durations

PAGE = """\
# Greeting

Say hello.

```console
$ echo {word}
{expected}
```
"""
CATALOG = """\
msgid ""
msgstr ""
"Language: fr\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

#: {name}.md:1
msgid "Greeting"
msgstr "Salutation"

#: {name}.md:3
msgid "Say hello."
msgstr "{translation}"
"""
SAME = "Dites bonjour."
# A translation that adds a directive changes the French page's plan (its timeout).
DIFFERENT = "Dites bonjour.\\n\\n<!-- runner: timeout=7 -->"


@pytest.fixture
def project(tmp_path: Path):
    """A site of pages (name -> French translation) in tmp_path, where `runner` runs."""

    def make(pages: dict[str, str], *, failing: tuple[str, ...] = (), shards: int | None = None):
        setting = f"{{shards: {shards}, translations: [fr]}}" if shards else "{translations: [fr]}"
        (tmp_path / "mkdocs.yml").write_text(
            f"site_name: t\ndocs_dir: docs\nplugins:\n  - runner: {setting}\n", encoding="utf-8"
        )
        for name, translation in pages.items():
            docs, fr = tmp_path / "docs", tmp_path / "translations" / "fr"
            docs.mkdir(exist_ok=True)
            fr.mkdir(parents=True, exist_ok=True)
            expected = "bye" if name in failing else name
            text = PAGE.format(word=name, expected=expected)
            (docs / f"{name}.md").write_text(text, encoding="utf-8")
            po = CATALOG.format(name=name, translation=translation)
            (fr / f"{name}.po").write_text(po, encoding="utf-8")
        return tmp_path

    return make


def pages_of(report: Path) -> dict[str, dict]:
    return {p["path"]: p for p in json.loads(report.read_text())["pages"]}


def test_a_french_page_with_the_english_plan_takes_its_verdicts(project, runner):
    root = project({"same": SAME, "differs": DIFFERENT})
    done = runner("verify", "--lang", "all", "--no-cache", "--json", "r.json", "--junit", "r.xml")
    assert done.status == 0, done.out + done.err
    assert "carried over: build/docs/fr/same.md (same plan as docs/same.md, passed)" in done.out
    assert "1 page carried over from its English plan" in done.out
    pages = pages_of(root / "r.json")
    assert pages["build/docs/fr/same.md"]["same_plan_as"] == "docs/same.md"
    assert pages["build/docs/fr/same.md"]["duration"] == 0
    # The French page whose plan differs ran: its own step, timed, and no carry-over.
    assert "same_plan_as" not in pages["build/docs/fr/differs.md"]
    assert "build/docs/fr/differs.md" in done.out.split("carried over")[0]
    suites = {s.get("name"): s for s in ET.parse(root / "r.xml").getroot()}
    case = suites["build/docs/fr/same.md"].find("testcase")
    assert case is not None
    assert case.get("file") == "build/docs/fr/same.md"
    assert case.find("failure") is None


def test_a_carried_failure_fails_the_french_page_too(project, runner):
    root = project({"broken": SAME}, failing=("broken",))
    done = runner("verify", "--lang", "all", "--no-cache", "--json", "r.json", "--junit", "r.xml")
    assert done.status == 1
    assert "carried over: build/docs/fr/broken.md (same plan as docs/broken.md, failed)" in done.out
    assert pages_of(root / "r.json")["build/docs/fr/broken.md"]["passed"] is False
    suites = {s.get("name"): s for s in ET.parse(root / "r.xml").getroot()}
    assert suites["build/docs/fr/broken.md"].get("failures") == "1"


NAMES = ("ant", "bee", "cat", "dog", "eel")


@pytest.mark.parametrize("total", [1, 2, 3, 7])
def test_shards_are_disjoint_and_complete_with_french_beside_english(project, runner, total):
    root = project(dict.fromkeys(NAMES, SAME))
    seen: list[str] = []
    for index in range(1, total + 1):
        report = f"s{index}.json"
        done = runner("verify", "--lang", "all", "--shard", f"{index}/{total}", "--json", report)
        assert done.status == 0, done.err
        assert f"shard {index}/{total} (--shard): " in done.out
        shard = list(pages_of(root / report))
        assert all(f"build/docs/fr/{Path(p).name}" in shard for p in shard if p.startswith("docs"))
        seen += shard
    every = [f"docs/{n}.md" for n in NAMES] + [f"build/docs/fr/{n}.md" for n in NAMES]
    assert sorted(seen) == sorted(every)  # each page once: disjoint, and complete


def test_the_split_follows_the_durations_report(project, runner, tmp_path):
    project(dict.fromkeys(NAMES, SAME))
    long = {"path": "docs/cat.md", "duration": 100.0}
    short = [{"path": f"docs/{n}.md", "duration": 1.0} for n in NAMES if n != "cat"]
    (tmp_path / "d.json").write_text(json.dumps({"pages": [long, *short]}))
    runner("verify", "--shard", "1/2", "--durations", "d.json", "--json", "one.json")
    assert list(pages_of(tmp_path / "one.json")) == ["docs/cat.md"]
    runner("verify", "--shard", "2/2", "--durations", "d.json", "--json", "two.json")
    assert len(pages_of(tmp_path / "two.json")) == len(NAMES) - 1


def test_pages_that_ran_leave_their_durations_and_cached_ones_do_not(project, runner):
    project(dict.fromkeys(("ant", "bee"), SAME))
    folder = cache_dir(os.environ)
    assert runner("verify", "docs/ant.md").status == 0
    recorded = load_durations(folder)
    assert set(recorded) == {"docs/ant.md"}
    assert runner("verify", "docs/ant.md", "docs/bee.md").status == 0  # ant cached now
    assert load_durations(folder)["docs/ant.md"] == recorded["docs/ant.md"]
    assert set(load_durations(folder)) == {"docs/ant.md", "docs/bee.md"}
    before = load_durations(folder)
    assert runner("verify", "--no-cache", "--shard", "1/2").status == 0
    assert load_durations(folder) == before  # a shard never moves the other shards' split


def test_ci_variables_choose_the_shard(project, runner, monkeypatch):
    project(dict.fromkeys(NAMES, SAME), shards=3)
    monkeypatch.setenv("TEST_SHARD_INDEX", "1")
    monkeypatch.setenv("TEST_TOTAL_SHARDS", "2")
    assert "shard 2/2 (TEST_SHARD_INDEX/TEST_TOTAL_SHARDS)" in runner("verify").out
    monkeypatch.delenv("TEST_SHARD_INDEX")
    monkeypatch.delenv("TEST_TOTAL_SHARDS")
    monkeypatch.setenv("JOB_COMPLETION_INDEX", "2")
    assert "shard 3/3 (JOB_COMPLETION_INDEX)" in runner("verify").out
    monkeypatch.setenv("RUNNER_SHARDS", "2")
    done = runner("verify")
    assert done.status == 2
    assert done.err == (
        "runner: JOB_COMPLETION_INDEX=2 must be below the shard count 2 (it counts from 0): "
        "is the Job's `completions` the `shards` setting?\n"
    )


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_shards_setting_is_one_line_and_status_2(project, runner, monkeypatch, value):
    project({"ant": SAME})
    monkeypatch.setenv("RUNNER_SHARDS", value)
    done = runner("verify")
    assert done.status == 2
    assert done.err.startswith("runner: `shards` (or RUNNER_SHARDS) wants a whole number")


def test_report_merge_gives_one_report_and_its_junit(project, runner, tmp_path):
    project(dict.fromkeys(NAMES, SAME))
    for index in (1, 2, 3):
        runner("verify", "--shard", f"{index}/3", "--no-cache", "--json", f"s{index}.json")
    done = runner(
        "report", "merge", "s1.json", "s2.json", "s3.json", "--json", "m.json", "--junit", "m.xml"
    )
    assert done.status == 0, done.err
    assert done.out == "merged 3 reports: 5 pages, 0 failed, into m.json and m.xml\n"
    merged = json.loads((tmp_path / "m.json").read_text())
    assert [p["path"] for p in merged["pages"]] == [f"docs/{n}.md" for n in NAMES]
    assert all(p["environment"] == merged["environment"] for p in merged["pages"])
    suites = ET.parse(tmp_path / "m.xml").getroot().findall("testsuite")
    assert [s.get("name") for s in suites] == [f"docs/{n}.md" for n in NAMES]
    assert all(s.get("tests") == "1" and s.get("failures") == "0" for s in suites)


def test_report_merge_refuses_a_missing_report(runner):
    done = runner("report", "merge", "nope.json", "--json", "m.json")
    assert (done.status, done.err) == (2, "runner: no such report: nope.json\n")
    assert not Path("m.json").exists()
