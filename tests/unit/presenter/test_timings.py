"""The last run's times of a page: only from a report of the page as it is now."""

from __future__ import annotations

from pathlib import Path

import pytest

from guiderunner.errors import UsageError
from guiderunner.markdown import headings
from guiderunner.model import Command, Plan, Span
from guiderunner.presenter.timings import Expected, expected_times, read_report
from guiderunner.report.text import describe

PAGE = "# T\n\n## A\n\n```console\n$ echo 1\n$ echo 2\n```\n\n## B\n\n```console\n$ echo 3\n```\n"


def command(text: str, line: int) -> Command:
    return Command(Span("p.md", line, line), text, f"$ {text}", (), 0, 10.0)


def plan(lines: tuple[int, ...] = (6, 7, 13)) -> Plan:
    return Plan("p.md", tuple(command(f"echo {n}", line) for n, line in enumerate(lines, 1)), False)


def report(lines: tuple[int, ...], seconds: tuple[float, ...], **page: object) -> dict[str, object]:
    steps = [
        {"line": line, "name": describe(command(f"echo {n}", line)), "duration": s}
        for n, (line, s) in enumerate(zip(lines, seconds, strict=True), 1)
    ]
    return {"pages": [{"path": "p.md", "content_hash": "h1", "steps": steps, **page}]}


def times(data: dict[str, object] | None, current: Plan | None = None, hash_: str = "h1"):
    return expected_times(data, current or plan(), hash_, headings(PAGE), Path("/nowhere"))


def test_sections_add_up_the_steps_under_one_heading():
    found = times(report((6, 7, 13), (1.0, 2.5, 4.0)))
    assert found == (Expected(1.0, 3.5), Expected(2.5, 3.5), Expected(4.0, 4.0))


def test_another_content_hash_shows_nothing():
    assert times(report((6, 7, 13), (1.0, 2.0, 3.0)), hash_="h2") is None


def test_a_cached_entry_says_nothing_and_the_next_one_counts():
    data = report((6, 7, 13), (1.0, 2.0, 3.0))
    cached = {"path": "p.md", "content_hash": "h1", "cached": True, "steps": []}
    data["pages"] = [cached, *data["pages"]]  # type: ignore[misc]
    found = times(data)
    assert found is not None
    assert found[0] == Expected(1.0, 3.0)


def test_moved_steps_are_matched_by_place_and_name():
    found = times(report((6, 7, 13), (1.0, 2.0, 3.0)), plan((9, 10, 16)))
    assert found is not None
    assert [e.step for e in found] == [1.0, 2.0, 3.0]


def test_a_step_the_report_lacks_has_no_time():
    found = times(report((6, 7), (1.0, 2.0)), plan((6, 7, 13)))
    assert found is not None
    assert found[2] == Expected(None, None)
    assert found[0] == Expected(1.0, 3.0)


def test_a_page_is_found_by_its_path_from_the_project_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = report((6, 7, 13), (1.0, 2.0, 3.0))
    data["pages"][0]["path"] = "docs/p.md"  # type: ignore[index]
    (tmp_path / "docs").mkdir()
    here = Plan("p.md", plan().steps, False)
    monkeypatch.chdir(tmp_path / "docs")
    found = expected_times(data, here, "h1", headings(PAGE), tmp_path)
    assert found is not None


def test_no_report_by_default_is_no_times_but_a_named_one_must_exist(tmp_path):
    assert read_report(tmp_path / "report.json", given=False) is None
    with pytest.raises(UsageError, match="no such report"):
        read_report(tmp_path / "report.json", given=True)
    (tmp_path / "bad.json").write_text("{")
    assert read_report(tmp_path / "bad.json", given=False) is None
    with pytest.raises(UsageError, match="cannot read report"):
        read_report(tmp_path / "bad.json", given=True)
