"""Recordings on the site: the player's files, each page's recording, and "Watch this page run".

asciinema-player (Apache-2.0, its LICENSE beside it) ships inside this package, in
`guiderunner/site/assets/player/`, beside a small loader (recording.js) and its style: a site
built from any repository asks no other host for anything and needs no npm. The files are
refreshed at development time from the version pinned in player/package-lock.json
(`player/vendor.sh`); `tests/unit/site/test_player.py` checks they match the pin.
The player's script is fetched only when a reader opens the snippet.

Everything goes under one folder of the site's root (`ASSETS`): French pages link to the same
files, and to the English recording when their plan is the same.
"""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from guiderunner.report.recording import Marker, Recording

__all__ = [
    "ASSETS",
    "PLAYER_FILES",
    "WORDS",
    "PlayerWords",
    "install_player",
    "install_recording",
    "player_html",
    "recording_path",
    "to_root",
]

PLAYER_FILES = Path(__file__).with_name("assets") / "player"
"""The player (min.js, css, LICENSE), our loader and style, as package data."""
VERSION = "3.18.0"
"""The asciinema-player version in PLAYER_FILES (player/package-lock.json pins the same)."""
ASSETS = "assets/recordings/"
"""Under the site's root: `player/` holds the player, and each recording sits beside it."""
ANCHOR = "recording"
"""The snippet's id: the "verified" marks link to it."""


@dataclass(frozen=True, slots=True)
class PlayerWords:
    """The snippet's and the player's words in one language (site.yml's `player:` section)."""

    summary: str = "Watch this page run"
    """What the collapsed snippet says."""
    steps: str = "Steps"
    """Above the chapters, one per step."""
    line: str = "line {line}"
    """A chapter's tooltip: `{line}` is the step's line in the page."""
    shortened: str = (
        "Shortened: pauses longer than {over} s play as {played_as} s. "
        "The run took {real}; this recording plays in {played}."
    )
    """Under the player when pauses were cut: `{over}`, `{played_as}`, `{real}`, `{played}`."""
    decimal: str = "."
    """The decimal separator."""
    write: str = "write {path}"
    """The chapter of a step that writes a file: `{path}`; no pseudo-command."""
    stop: str = "stop {name}"
    """The chapter of a step that stops a service: `{name}`."""
    controls: Mapping[str, str] = field(default_factory=dict)
    """asciinema-player's own words (buttons, tooltips, help overlay) -> this language's;
    recording.js swaps them in the page, English when empty."""


WORDS: Mapping[str, PlayerWords] = {"en": PlayerWords()}
"""English, the default; a translated site's words come from its site.yml (site.strings)."""


def install_player(site_dir: Path) -> Path:
    """Copy the player and our loader into the site (after mkdocs, which cleans its folder)."""
    target = site_dir / ASSETS / "player"
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(PLAYER_FILES.iterdir()):
        if source.is_file():
            shutil.copy2(source, target / source.name)
    return target


def recording_path(page: str) -> str:
    """Where a page's recording sits in the site, from the page's path in the docs folder.

    >>> recording_path("create-docker-images.md"), recording_path("guides/a.md")
    ('assets/recordings/create-docker-images.cast', 'assets/recordings/guides/a.cast')
    """
    return ASSETS + PurePosixPath(page).with_suffix(".cast").as_posix()


def install_recording(cast: Path, site_dir: Path, page: str) -> str:
    """Copy a page's recording into the site; return its path from the site's root."""
    where = recording_path(page)
    (site_dir / where).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(cast, site_dir / where)
    return where


def to_root(page_url: str, language_root: str = "") -> str:
    """The relative path from a page to the site's root (mkdocs' directory URLs).

    >>> to_root("create-docker-images/"), to_root("", "fr/"), to_root("a/b/", "fr/"), to_root("")
    ('../', '../', '../../../', './')
    """
    depth = (language_root + page_url).count("/")
    return "../" * depth or "./"


def player_html(recording: Recording, cast_url: str, root: str, words: PlayerWords) -> str:
    """The collapsed "Watch this page run" snippet: the player, a note, and one chapter a step.

    `cast_url` is the recording's path from the site's root (`install_recording`), `root` the
    way from the page to that root (`to_root`). It holds no blank line, so Markdown passes it
    through as one HTML block.
    """
    player = f"{root}{ASSETS}player/"
    lines = [
        f'<details class="recording" id="{ANCHOR}">',
        f"<summary>{html.escape(words.summary)}</summary>",
        f'<link rel="stylesheet" href="{player}asciinema-player.css">',
        f'<link rel="stylesheet" href="{player}recording.css">',
        f'<div class="recording-player" data-cast="{html.escape(root + cast_url)}" '
        f'data-player="{player}asciinema-player.min.js"{_controls(words)}></div>',
    ]
    if recording.shortened is not None:
        lines.append(f'<p class="recording-note">{html.escape(_note(recording, words))}</p>')
    lines += _chapters(recording.markers, words)
    lines += [f'<script src="{player}recording.js" defer></script>', "</details>"]
    return "\n".join(lines)


def _chapters(markers: Sequence[Marker], words: PlayerWords) -> list[str]:
    if not markers:
        return []
    items = [
        f'<li><button type="button" data-time="{round(marker.time, 6)!r}"{_tooltip(marker, words)}>'
        f"{html.escape(chapter_label(marker, words))}</button></li>"
        for marker in markers
    ]
    heading = f'<p class="recording-steps">{html.escape(words.steps)}</p>'
    return [heading, '<ol class="recording-chapters">', *items, "</ol>"]


def _tooltip(marker: Marker, words: PlayerWords) -> str:
    if marker.line is None:
        return ""
    return f' title="{html.escape(words.line.format(line=marker.line), quote=True)}"'


def chapter_label(marker: Marker, words: PlayerWords) -> str:
    """A chapter as the page shows its step: a command as typed, other steps in words.

    `$ docker build ...` for a command or a service's command; words (not a pseudo-command)
    for writing a file or stopping a service.

    >>> fr = PlayerWords(write="Écrire {path}", stop="Arrêter {name}")
    >>> [chapter_label(Marker(0, f"3: {s}", 3), fr) for s in ("ls", "write a.txt", "stop api")]
    ['$ ls', 'Écrire a.txt', 'Arrêter api']
    >>> chapter_label(Marker(0, "7: start api: dotnet run", 7), fr)
    '$ dotnet run'
    """
    if marker.line is None:
        return marker.label
    summary = marker.label.split(": ", 1)[1]
    kind, _, rest = summary.partition(" ")
    if kind == "write" and rest and " " not in rest:
        return words.write.format(path=rest)
    if kind == "stop" and rest and " " not in rest:
        return words.stop.format(name=rest)
    if kind == "start" and ": " in rest:
        return "$ " + rest.split(": ", 1)[1]
    return "$ " + summary


def _controls(words: PlayerWords) -> str:
    """The player's own words for recording.js, as a data attribute; none in English."""
    if not words.controls:
        return ""
    text = json.dumps(dict(words.controls), ensure_ascii=False, sort_keys=True)
    return f' data-words="{html.escape(text, quote=True)}"'


def _note(recording: Recording, words: PlayerWords) -> str:
    cut = recording.shortened
    assert cut is not None
    return words.shortened.format(
        over=_number(cut.pauses_over, words),
        played_as=_number(cut.played_as, words),
        real=duration(cut.real_duration),
        played=duration(cut.played_duration),
    )


def _number(value: float, words: PlayerWords) -> str:
    return f"{value:g}".replace(".", words.decimal)


def duration(seconds: float) -> str:
    r"""A duration as people say it, to the second (at least 1 s); the same in English and French.

    Numbers and units are held together by no-break spaces, as typography asks in both.

    >>> duration(192.4), duration(7.6), duration(0.2)
    ('3\xa0min\xa012\xa0s', '8\xa0s', '1\xa0s')
    """
    whole = max(1, round(seconds))
    minutes, rest = divmod(whole, 60)
    return f"{minutes}\u00a0min\u00a0{rest}\u00a0s" if minutes else f"{rest}\u00a0s"
