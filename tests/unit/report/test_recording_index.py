"""The index of `runner verify --record DIR`: written, read back, which recording a page shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from guiderunner.report.recording_index import (
    INDEX,
    Recorded,
    cast_file,
    read_index,
    recorded,
    write_index,
)


def test_the_index_reads_back_what_was_written(tmp_path: Path):
    index = {
        "en": {"a.md": Recorded("a.cast", "h1", True)},
        "fr": {"a.md": Recorded("a.cast", "h1", True), "b.md": Recorded("fr/b.cast", "h2", False)},
    }
    write_index(tmp_path / "rec", index)
    assert read_index(tmp_path / "rec") == index
    assert not (tmp_path / "rec" / (INDEX + ".part")).exists()


def test_no_index_is_an_empty_one_and_a_foreign_file_is_an_error(tmp_path: Path):
    assert read_index(tmp_path) == {}
    (tmp_path / INDEX).write_text('{"version": 2, "pages": {}}', encoding="utf-8")
    with pytest.raises(ValueError, match="not an index of recordings"):
        read_index(tmp_path)
    (tmp_path / INDEX).write_text('{"version": 1, "pages": {"en": {"a.md": {}}}}')
    with pytest.raises(ValueError, match="not an index of recordings"):
        read_index(tmp_path)


def test_english_at_the_top_translations_in_their_folder():
    assert cast_file("en", "guides/a.md") == "guides/a.cast"
    assert cast_file("fr", "a.md") == "fr/a.cast"


def test_a_page_shows_a_passing_recording_of_its_very_plan(tmp_path: Path):
    (tmp_path / "a.cast").write_text("x")
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "b.cast").write_text("x")
    index = {
        "en": {"a.md": Recorded("a.cast", "h1", True), "b.md": Recorded("b.cast", "h3", True)},
        "fr": {"b.md": Recorded("fr/b.cast", "h4", True)},
    }
    assert recorded(index, tmp_path, "en", "a.md", "h1") == index["en"]["a.md"]
    assert recorded(index, tmp_path, "en", "a.md", "changed") is None
    assert recorded(index, tmp_path, "fr", "a.md", "h1") == index["en"]["a.md"], "same plan"
    assert recorded(index, tmp_path, "fr", "b.md", "h4") == index["fr"]["b.md"], "its own"
    assert recorded(index, tmp_path, "en", "b.md", "h3") is None, "the file is gone"
    failed = {"en": {"a.md": Recorded("a.cast", "h1", False)}}
    assert recorded(failed, tmp_path, "en", "a.md", "h1") is None
