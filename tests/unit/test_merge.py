"""`runner report merge`: reports of real `runner verify --json` runs, merged, JUnit read back."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from guiderunner.report.merge import (
    MergeError,
    load_report,
    merge,
    merge_files,
    write_json,
    write_junit,
)
from guiderunner.site.badge import badge_html

pytestmark = pytest.mark.timeout(120)

PASSING = """
# A

```console
$ echo alpha
alpha
```
"""

FAILING = """
# B

```console
$ echo beta
gamma
```
"""

OTHER = """
# C

```console
$ printf 'c\\n'
c
```
"""


def verify(runner, page_path: Path, report: Path, *extra: str) -> None:
    done = runner("verify", page_path, "--json", report, *extra)
    assert done.status in (0, 1), done.err
    assert report.is_file()


@pytest.fixture
def shards(page, runner, tmp_path: Path) -> dict[str, Path]:
    """Three pages, each verified by its own run, as three shards would."""
    reports = {}
    for name, text in (("a", PASSING), ("b", FAILING), ("c", OTHER)):
        reports[name] = tmp_path / f"shard-{name}.json"
        junit = tmp_path / f"shard-{name}.xml"
        verify(runner, page(text, f"{name}.md"), reports[name], "--no-cache", "--junit", junit)
    return reports


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_two_reports_merge_into_one_with_each_page_once(shards, tmp_path: Path):
    merged = merge([load_report(shards["a"]), load_report(shards["b"])])
    assert [p["path"] for p in merged["pages"]] == ["a.md", "b.md"]
    assert merged["passed"] is False
    assert [p["passed"] for p in merged["pages"]] == [True, False]
    first = read(shards["a"])
    assert merged["pages"][0]["environment"] == first["environment"]
    assert merged["pages"][0]["verified_at"] == first["finished"]
    assert merged["pages"][0]["content_hash"] == first["pages"][0]["content_hash"]
    assert [s["source"] for s in merged["shards"]] == [str(shards["a"]), str(shards["b"])]
    out = tmp_path / "out" / "merged.json"
    write_json(merged, out)
    assert read(out) == merged


def test_three_reports_and_the_junit_file_parsed_back(shards, tmp_path: Path):
    merged = merge([load_report(shards[n]) for n in ("c", "b", "a")])
    junit = tmp_path / "junit.xml"
    write_junit(merged, junit)
    root = ET.parse(junit).getroot()
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert sorted(suites) == ["a.md", "b.md", "c.md"]
    assert [suites[n].get("failures") for n in ("a.md", "b.md", "c.md")] == ["0", "1", "0"]
    (case,) = suites["b.md"].findall("testcase")
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == "b.md:4: output differs"
    assert "-gamma" in (failure.text or "")
    assert "+beta" in (failure.text or "")
    assert case.get("file") == "b.md"
    assert case.get("line") == "4"
    assert case.get("name") == "4: command: $ echo beta"
    assert all(c.find("failure") is None for c in suites["a.md"].iter("testcase"))


def test_the_merged_junit_has_the_cases_of_the_shards_own_junit(shards, tmp_path: Path):
    merged = merge([load_report(shards[n]) for n in ("a", "b", "c")])
    junit = tmp_path / "junit.xml"
    write_junit(merged, junit)
    keys = ("classname", "name", "file", "line")
    mine = [[c.get(k) for k in keys] for c in ET.parse(junit).getroot().iter("testcase")]
    theirs = [
        [c.get(k) for k in keys]
        for n in ("a", "b", "c")
        for c in ET.parse(shards[n].with_suffix(".xml")).getroot().iter("testcase")
    ]
    assert mine == theirs
    failures = [
        f.get("message")
        for n in ("a", "b", "c")
        for f in ET.parse(shards[n].with_suffix(".xml")).getroot().iter("failure")
    ]
    assert [f.get("message") for f in ET.parse(junit).getroot().iter("failure")] == failures


def test_a_page_in_two_reports_with_the_same_content_is_kept_once(page, runner, tmp_path):
    path = page(PASSING, "a.md")
    verify(runner, path, tmp_path / "one.json", "--no-cache")
    verify(runner, path, tmp_path / "two.json", "--no-cache")
    verify(runner, path, tmp_path / "cached.json")
    assert read(tmp_path / "cached.json")["pages"][0]["cached"] is True
    names = ("one", "two", "cached")
    merged = merge([load_report(tmp_path / f"{n}.json") for n in names])
    (kept,) = merged["pages"]
    assert kept["cached"] is False
    assert kept["shard"] in (str(tmp_path / "one.json"), str(tmp_path / "two.json"))
    assert len(merged["shards"]) == 3


def test_a_page_with_two_different_contents_is_refused(page, runner, tmp_path: Path):
    path = page(PASSING, "a.md")
    verify(runner, path, tmp_path / "old.json", "--no-cache")
    path.write_text(PASSING.replace("alpha", "omega"), encoding="utf-8")
    verify(runner, path, tmp_path / "new.json", "--no-cache")
    with pytest.raises(MergeError) as raised:
        merge([load_report(tmp_path / "old.json"), load_report(tmp_path / "new.json")])
    message = str(raised.value)
    assert message.startswith("a.md is in ")
    assert str(tmp_path / "old.json") in message
    assert str(tmp_path / "new.json") in message
    assert "different versions of the page" in message


def test_the_merged_report_feeds_the_site_badge(shards):
    merged = merge([load_report(shards["a"]), load_report(shards["c"])])
    entry = merged["pages"][0]
    assert 'class="verified"' in badge_html("a.md", entry["content_hash"], merged)
    assert "not-verified" in badge_html("a.md", "another-hash", merged)


def test_tool_versions_the_shards_disagree_on_are_left_out(shards, tmp_path: Path):
    other = read(shards["b"])
    other["environment"] = {**other["environment"], "docker": "0.0-elsewhere"}
    (tmp_path / "elsewhere.json").write_text(json.dumps(other), encoding="utf-8")
    merged = merge([load_report(shards["a"]), load_report(tmp_path / "elsewhere.json")])
    assert merged["environment"]["docker"] is None
    assert merged["environment"]["bash"] == read(shards["a"])["environment"]["bash"]
    assert merged["pages"][1]["environment"]["docker"] == "0.0-elsewhere"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such report: {path}"),
        ("{not json", "{path}: not JSON ("),
        ('{"pages": 3}', "{path}: not a runner JSON report (no list of pages)"),
        ('{"pages": [{"passed": true}]}', "{path}: page entry 1 has no path"),
    ],
)
def test_bad_reports_are_one_line_errors(tmp_path: Path, content: str | None, message: str):
    path = tmp_path / "report.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(MergeError) as raised:
        load_report(path)
    assert str(raised.value).startswith(message.format(path=path))
    assert "\n" not in str(raised.value)


def test_nothing_to_merge_is_an_error():
    with pytest.raises(MergeError, match="nothing to merge"):
        merge([])


def test_merge_files_reads_them_all_and_writes_both_files(shards, tmp_path: Path):
    out = tmp_path / "merged"
    merged = merge_files([shards["a"], shards["b"]], out / "report.json", out / "junit.xml")
    assert read(out / "report.json") == merged
    assert len(ET.parse(out / "junit.xml").getroot().findall("testsuite")) == 2


def test_merge_files_writes_nothing_when_one_input_is_bad(shards, tmp_path: Path):
    out = tmp_path / "merged"
    with pytest.raises(MergeError, match="no such report"):
        merge_files([shards["a"], tmp_path / "missing.json"], out / "report.json")
    assert not out.exists()
