"""The site's player: the files the package carries and copies, "Watch this page run"."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from guiderunner.report.recording import Marker, Recording, Shortened
from guiderunner.site.markup import insert_after_title
from guiderunner.site.player import (
    PLAYER_FILES,
    VERSION,
    WORDS,
    install_player,
    install_recording,
    player_html,
    to_root,
)
from guiderunner.site.strings import load_site_strings, site_strings

ROOT = Path(__file__).resolve().parents[3]
FRENCH_PLAYER = site_strings(
    load_site_strings(ROOT / "translations/fr/site.yml")["extra"]["runner_i18n"]
).player
"""The French site's player words, as site.yml gives them."""
RECORDING = Recording(
    "docs/a.md",
    (Marker(0.0, "12: echo one", 12), Marker(3.25, "20: cat <<EOF …", 20), Marker(4.0, "x", None)),
    Shortened(real_duration=192.4, played_duration=9.5, pauses_over=2.0, played_as=0.5),
)


def test_the_project_pins_one_exact_version_the_package_carries():
    manifest = json.loads((ROOT / "player" / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "player" / "package-lock.json").read_text(encoding="utf-8"))
    wanted = manifest["dependencies"]["asciinema-player"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", wanted), "an exact version, no range"
    assert lock["packages"]["node_modules/asciinema-player"]["version"] == wanted
    assert wanted == VERSION, "player/vendor.sh copies the pinned version into the package"
    bundle = (PLAYER_FILES / "asciinema-player.min.js").read_text(encoding="utf-8")
    assert len(bundle) > 100_000, "the real player, not a placeholder"
    assert "node_modules/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split("\n")


def test_the_player_ships_with_its_licence_and_notice():
    licence = (PLAYER_FILES / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in licence
    assert "Version 2.0" in licence
    notice = (PLAYER_FILES / "NOTICE").read_text(encoding="utf-8")
    assert f"asciinema-player {VERSION}" in notice


def test_the_player_and_recordings_go_under_one_folder(tmp_path: Path):
    site = tmp_path / "site"
    folder = install_player(site)
    assert folder == site / "assets" / "recordings" / "player"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "LICENSE",
        "NOTICE",
        "asciinema-player.css",
        "asciinema-player.min.js",
        "recording.css",
        "recording.js",
    ]
    cast = tmp_path / "a.cast"
    cast.write_text('{"version": 2}\n', encoding="utf-8")
    assert install_recording(cast, site, "guides/a.md") == "assets/recordings/guides/a.cast"
    assert (site / "assets/recordings/guides/a.cast").read_text() == '{"version": 2}\n'


def test_the_snippet_is_collapsed_and_local():
    snippet = player_html(RECORDING, "assets/recordings/a.cast", "../", WORDS["en"])
    assert snippet.startswith('<details class="recording" id="recording">\n<summary>')
    assert "<summary>Watch this page run</summary>" in snippet
    assert " open" not in snippet.split("\n")[0]
    assert "\n\n" not in snippet, "one HTML block for Markdown"
    assert 'data-cast="../assets/recordings/a.cast"' in snippet
    assert 'src="../assets/recordings/player/recording.js"' in snippet
    urls = re.findall(r'(?:src|href|data-cast|data-player)="([^"]*)"', snippet)
    assert len(urls) == 5
    assert all(url.startswith("../assets/recordings/") for url in urls), urls
    assert (
        "Shortened: pauses longer than 2 s play as 0.5 s. "
        "The run took 3\u00a0min\u00a012\u00a0s; this recording plays in 10\u00a0s." in snippet
    )


def test_one_chapter_per_marker():
    snippet = player_html(RECORDING, "assets/recordings/a.cast", "./", WORDS["en"])
    chapters = re.findall(
        r'<button type="button" data-time="([^"]*)"([^>]*)>([^<]*)</button>', snippet
    )
    assert chapters == [
        ("0.0", ' title="line 12"', "$ echo one"),
        ("3.25", ' title="line 20"', "$ cat &lt;&lt;EOF …"),
        ("4.0", "", "x"),
    ]


def test_french_words():
    snippet = player_html(RECORDING, "assets/recordings/a.cast", "../../", FRENCH_PLAYER)
    assert "<summary>Voir cette page s’exécuter</summary>" in snippet
    assert "pauses de plus de 2\u00a0s y durent 0,5\u00a0s" in snippet
    assert 'title="ligne\u00a012"' in snippet
    assert "Étapes" in snippet
    note = re.search(r'<p class="recording-note">([^<]*)</p>', snippet)
    assert note
    assert not note[1].startswith("Raccourci"), "« Raccourci » reads as a shortcut"
    words = re.search(r'data-words="([^"]*)"', snippet)
    assert words
    assert json.loads(html.unescape(words[1]))["Pause"] == "Pause"


def test_chapters_of_files_and_services_are_words_not_pseudo_commands():
    markers = (
        Marker(0.0, "3: write Dockerfile", 3),
        Marker(1.0, "9: start api: dotnet run", 9),
        Marker(2.0, "14: stop api", 14),
    )
    snippet = player_html(Recording("a", markers, None), "a.cast", "./", FRENCH_PLAYER)
    labels = re.findall(r"<button[^>]*>([^<]*)</button>", snippet)
    assert labels == ["Écriture du fichier Dockerfile", "$ dotnet run", "Arrêt du service api"]
    assert "$ write" not in snippet
    assert "$ stop" not in snippet


def test_no_note_when_nothing_was_shortened():
    recording = Recording("a", (), None)
    snippet = player_html(recording, "assets/recordings/a.cast", "./", WORDS["en"])
    assert "recording-note" not in snippet
    assert "recording-chapters" not in snippet


def test_markdown_passes_the_snippet_through():
    markdown = pytest.importorskip("markdown")
    snippet = player_html(RECORDING, "assets/recordings/a.cast", "../", WORDS["en"])
    page = insert_after_title("# Title\n\nText.\n", snippet)
    rendered = markdown.markdown(page)
    assert snippet in rendered
    assert "<p><details" not in rendered


@pytest.mark.parametrize(
    ("page_url", "language_root", "root"),
    [("", "", "./"), ("a/", "", "../"), ("a/", "fr/", "../../"), ("a/b/", "", "../../")],
)
def test_to_root(page_url: str, language_root: str, root: str):
    assert to_root(page_url, language_root) == root
