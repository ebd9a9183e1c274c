"""What `runner publish` prepares for each recorded page, and what the plugin adds to it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guiderunner.report.asciicast import Recorder, step_label
from guiderunner.report.recording_index import Recorded
from guiderunner.site.player import PlayerWords
from guiderunner.site.recordings import (
    decorate,
    install_recordings,
    recording_entries,
    site_entries,
)

PAGE = "# Title\n\nText.\n\n```console\n$ echo one\none\n```\n\n```console\n$ echo two\ntwo\n```\n"
FRENCH = PAGE.replace("Text.", "Du texte,\nsur deux lignes.")


@pytest.fixture
def entries(tmp_path: Path) -> dict[str, dict[str, object]]:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(PAGE, encoding="utf-8")
    cast = tmp_path / "casts" / "a.cast"
    with Recorder(cast, "a.md") as recorder:
        for at, (line, command) in enumerate([(6, "echo one"), (11, "echo two")]):
            recorder.marker(step_label(line, command), at * 10.0)
            recorder.command(command, at * 10.0)
    return recording_entries({"a.md": cast}, docs, {"a.md": {"en", "fr"}})


def test_entries_are_json_and_hold_the_english_block_times(entries, tmp_path: Path):
    assert json.loads(json.dumps(entries)) == entries
    entry = entries["a.md"]
    assert entry["cast"] == "assets/recordings/a.cast"
    assert entry["times"] == [0.0, 1.0]  # the ten-second pause plays as a step pause
    assert entry["languages"] == ["en", "fr"]
    assert entry["source"] == str((tmp_path / "casts" / "a.cast").resolve())


def test_a_page_gets_its_player_under_the_title_and_its_marks(entries):
    page = decorate(PAGE, entries["a.md"], "a/", "", "en")
    lines = page.split("\n")
    assert lines[0] == "# Title"
    assert lines[2].startswith('<details class="recording" id="recording">')
    assert 'data-cast="../assets/recordings/a.cast"' in page
    assert page.count('class="verified-mark"') == 2
    assert 'data-recording-time="1.0"' in page


def test_a_translation_with_the_same_plan_shows_the_english_recording(entries):
    words = PlayerWords(summary="Voir cette page s’exécuter")
    page = decorate(FRENCH, entries["a.md"], "a/", "fr/", "fr", words)
    assert "<summary>Voir cette page s’exécuter</summary>" in page
    assert 'data-cast="../../assets/recordings/a.cast"' in page
    assert page.count("✓ vérifié") == 2


def test_no_recording_or_another_plan_leaves_the_page_alone(entries):
    assert decorate(PAGE, None, "a/", "", "en") == PAGE
    only_english = {**entries["a.md"], "languages": ["en"]}
    assert decorate(FRENCH, only_english, "a/", "fr/", "fr") == FRENCH


def test_the_site_gets_the_player_and_each_recording(entries, tmp_path: Path):
    site = tmp_path / "site"
    install_recordings(entries, site)
    assert (site / "assets/recordings/a.cast").read_bytes() == Path(
        str(entries["a.md"]["source"])
    ).read_bytes()
    assert (site / "assets/recordings/player/recording.js").is_file()


def _record(cast: Path, steps: list[tuple[int, str]]) -> None:
    with Recorder(cast, cast.name) as recorder:
        for at, (line, command) in enumerate(steps):
            recorder.marker(step_label(line, command), at * 10.0)
            recorder.command(command, at * 10.0)


def test_site_entries_choose_each_language_s_recording(tmp_path: Path):
    english, french = tmp_path / "docs", tmp_path / "fr"
    shifted = PAGE.replace("Text.", "Un.\n\nDeux.\n\nTrois.")  # blocks 4 lines further
    for folder, text in ((english, PAGE), (french, shifted)):
        folder.mkdir()
        (folder / "a.md").write_text(text, encoding="utf-8")
        (folder / "b.md").write_text(text, encoding="utf-8")
    rec = tmp_path / "rec"
    _record(rec / "a.cast", [(6, "echo one"), (11, "echo two")])
    _record(rec / "fr" / "b.cast", [(10, "echo one"), (15, "echo two")])
    index = {
        "en": {"a.md": Recorded("a.cast", "A", True), "b.md": Recorded("b.cast", "B", True)},
        "fr": {"a.md": Recorded("a.cast", "A", True), "b.md": Recorded("fr/b.cast", "B2", True)},
    }
    hashes = {"en": {"a.md": "A", "b.md": "B"}, "fr": {"a.md": "A", "b.md": "B2"}}
    entries = site_entries(index, rec, hashes, {"en": english, "fr": french})
    assert set(entries["en"]) == {"a.md"}, "b.cast is missing: no player"
    assert (
        entries["fr"]["a.md"]["cast"]
        == entries["en"]["a.md"]["cast"]
        == ("assets/recordings/a.cast")
    )
    assert entries["fr"]["a.md"]["languages"] == ["fr"]
    assert entries["fr"]["b.md"]["cast"] == "assets/recordings/fr/b.cast"
    assert entries["fr"]["b.md"]["times"] == [0.0, 1.0], "timed from the French page"
    stale = site_entries(index, rec, {"en": {"a.md": "changed"}}, {"en": english})
    assert stale == {"en": {}}


def test_install_puts_each_recording_where_its_entry_says(tmp_path: Path, entries):
    moved = {"k": {**entries["a.md"], "cast": "assets/recordings/fr/a.cast"}}
    install_recordings(moved, tmp_path / "site")
    assert (tmp_path / "site/assets/recordings/fr/a.cast").is_file()
    assert (tmp_path / "site/assets/recordings/player/recording.js").is_file()
