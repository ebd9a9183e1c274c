"""The durations kept with the verify cache: recorded, merged, read back, bad values ignored."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from guiderunner.store.durations import FILE, load_durations, record_durations
from guiderunner.store.shard import split

pytestmark = pytest.mark.timeout(60)


def test_recorded_durations_are_read_back_and_merged(tmp_path: Path):
    record_durations(tmp_path, {"docs/a.md": 12.3456, "docs/b.md": 1.0})
    record_durations(tmp_path, {"docs/b.md": 2.5, "docs/c.md": 0.2})
    assert load_durations(tmp_path) == {"docs/a.md": 12.346, "docs/b.md": 2.5, "docs/c.md": 0.2}


def test_nothing_recorded_is_an_empty_history(tmp_path: Path):
    assert load_durations(tmp_path / "missing") == {}
    (tmp_path / FILE).write_text("{not json", encoding="utf-8")
    assert load_durations(tmp_path) == {}


def test_bad_values_are_neither_recorded_nor_read(tmp_path: Path):
    record_durations(tmp_path, {"a": float("nan"), "b": -1.0, "c": 0.0, "d": 3.0})
    assert load_durations(tmp_path) == {"d": 3.0}
    (tmp_path / FILE).write_text(json.dumps({"e": "slow", "f": None, "g": 4}), encoding="utf-8")
    assert load_durations(tmp_path) == {"g": 4.0}


def _record(folder: str, number: int) -> None:
    for step in range(20):
        record_durations(Path(folder), {f"page-{number}-{step}.md": 1.0 + step})


def test_parallel_runs_lose_no_page(tmp_path: Path):
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_record, args=(str(tmp_path), n)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert len(load_durations(tmp_path)) == 80


def test_the_record_feeds_the_split(tmp_path: Path):
    record_durations(tmp_path, {"a.md": 50.0, "b.md": 10.0, "c.md": 10.0, "d.md": 10.0})
    shards = split(["a.md", "b.md", "c.md", "d.md"], 2, load_durations(tmp_path))
    assert shards == (("a.md",), ("b.md", "c.md", "d.md"))
