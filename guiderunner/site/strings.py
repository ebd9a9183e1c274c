"""Every word the site shows that is not in a page: English here, other languages in site.yml.

A translated site's `translations/<lang>/site.yml` gives, beside `site_name`:

    strings:      # the site's own words (404 page, heading link tooltip, stale notice)
      not_found: "Page introuvable"
    badge:        # the "Verified on" line (guiderunner.site.badge.Words)
      verified: "Vérifié le {date}"
    theme:        # mkdocs-material's interface words, by key (partials/languages/en.html)
      clipboard.copy: "Copier dans le presse-papiers"
    console:      # console blocks' marks and notes (guiderunner.site.console.ConsoleWords)
      placeholder: "<variable>"
    reasons:      # a skip reason as the page (English) gives it -> this language's
      "needs docker buildx": "demande docker buildx"
    player:       # the recording player (guiderunner.site.player.PlayerWords)
      summary: "Voir cette page s'exécuter"
      controls:   # asciinema-player's own words, English -> French
        "Pause": "Pause"

`runner publish` passes them to the language's mkdocs build under `extra.runner_i18n`; the
plugin and the theme files (guiderunner/site/theme/) read them from there, English filling any gap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from guiderunner.errors import UsageError
from guiderunner.i18n.language import read_mapping
from guiderunner.site.badge import ENGLISH, Words
from guiderunner.site.console import CONSOLE_WORDS, ConsoleWords
from guiderunner.site.player import PlayerWords

EXTRA_KEY = "runner_i18n"
"""Where a language's strings travel in the mkdocs config: `extra.runner_i18n`."""

BADGE_KEYS = {
    "verified": "verified",
    "with": "with_",
    "and": "and_",
    "not_verified": "not_verified",
    "content": "content",
    "months": "months",
    "date": "date_format",
    "first_day": "first_day",
    "buildkit": "buildkit",
    "legacy": "legacy",
    "images": "images",
    "stand_ins": "stand_ins",
    "microsoft": "microsoft",
    "pulled": "pulled",
    "local": "local",
    "failed": "failed",
}
"""site.yml's `badge` keys -> guiderunner.site.badge.Words fields."""


@dataclass(frozen=True, slots=True)
class SiteStrings:
    """The words of one language's site outside its pages."""

    not_found: str = "404 - Not found"
    """The error page's heading."""
    permalink: str = "Permanent link"
    """The tooltip of the link beside each heading."""
    stale: str = (
        "The English original of this page changed after it was translated: until the "
        "translation catches up, the changed passages are shown in English."
    )
    """The notice on a translated page whose messages are fuzzy or missing."""
    untranslated: str = "This page is not translated yet: it is shown in English."
    """The notice on a translated page nobody translated yet."""
    original: str = "Read the English original"
    """The link, after the notice, to the same page in the source language."""
    badge: Words = ENGLISH
    """The "Verified on" line."""
    theme: Mapping[str, str] = field(default_factory=dict)
    """mkdocs-material's interface words by key; the theme's own file fills the rest."""
    console: ConsoleWords = CONSOLE_WORDS
    """Console blocks' marks (output that varies) and notes (skipped, expected to fail)."""
    player: PlayerWords = field(default_factory=PlayerWords)
    """The recording player: the snippet, its chapters and the player's own controls."""


TEXT_KEYS = frozenset(f.name for f in fields(SiteStrings)) - {"badge", "theme", "console", "player"}
CONSOLE_KEYS = frozenset(f.name for f in fields(ConsoleWords)) - {"reasons"}
PLAYER_KEYS = frozenset(f.name for f in fields(PlayerWords))
SECTIONS = frozenset({"strings", "badge", "theme", "console", "reasons", "player"})


def site_strings(data: Mapping[str, Any]) -> SiteStrings:
    """The strings a site.yml gives, English for what it leaves out.

    Raises ValueError with a readable reason for a key or value that is not understood.

    >>> site_strings({"strings": {"not_found": "Page introuvable"}}).not_found
    'Page introuvable'
    >>> site_strings({"badge": {"first_day": "1er"}}).badge.first_day
    '1er'
    """
    unknown = set(data) - SECTIONS
    if unknown:
        raise ValueError(f"unknown key(s): {', '.join(sorted(unknown))}")
    texts = _section(data, "strings", TEXT_KEYS)
    badge_data = _section(data, "badge", frozenset(BADGE_KEYS))
    theme = _section(data, "theme", None)
    badge = replace(ENGLISH, **{BADGE_KEYS[key]: value for key, value in badge_data.items()})
    if len(badge.months) != 12:
        raise ValueError("badge.months: twelve month names, January first")
    console = replace(
        CONSOLE_WORDS,
        **_section(data, "console", CONSOLE_KEYS),
        reasons=_section(data, "reasons", None),
    )
    return SiteStrings(**texts, badge=badge, theme=theme, console=console, player=_player(data))


def _player(data: Mapping[str, Any]) -> PlayerWords:
    """site.yml's `player:` section; `controls` maps the player's English words to others."""
    section = dict(data.get("player") or {})
    controls = section.pop("controls", None) or {}
    if not isinstance(controls, Mapping):
        raise ValueError("player.controls: expected a mapping of English to translated words")  # noqa: TRY004
    words = _section({"player": section}, "player", PLAYER_KEYS - {"controls"})
    return PlayerWords(**words, controls=_section({"controls": controls}, "controls", None))


def strings_of(extra: Mapping[str, Any]) -> SiteStrings:
    """A language build's strings, from its mkdocs config's `extra`; English without them."""
    return site_strings(extra.get(EXTRA_KEY) or {})


def _section(data: Mapping[str, Any], name: str, known: frozenset[str] | None) -> dict[str, Any]:
    section = data.get(name) or {}
    if not isinstance(section, Mapping):
        raise ValueError(f"{name}: expected a mapping")  # noqa: TRY004 - one error type for a bad file
    unknown = set(section) - known if known is not None else set()
    if unknown:
        raise ValueError(f"{name}: unknown key(s): {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for key, value in section.items():
        if isinstance(value, list):
            values[str(key)] = tuple(str(item) for item in value)
        elif isinstance(value, str):
            values[str(key)] = value
        else:
            raise ValueError(f"{name}.{key}: expected text, got {value!r}")  # noqa: TRY004
    return values


SITE_KEYS = frozenset({"site_name", "site_description"})
"""Top-level settings of the translated site that site.yml replaces."""
WORD_KEYS = SECTIONS
"""Sections of site.yml that travel to the site under `extra.runner_i18n`."""


def load_site_strings(path: Path) -> dict[str, Any]:
    """The translated site's settings: its name and description, and its words under `extra`.

    The words are checked here, so a mistake in site.yml is reported with its file before
    anything is built.
    """
    data = read_mapping(path)
    unknown = set(data) - SITE_KEYS - WORD_KEYS
    if unknown:
        raise UsageError(f"{path}: unknown key(s): {', '.join(sorted(unknown))}")
    words = {key: value for key, value in data.items() if key in WORD_KEYS}
    try:
        site_strings(words)
    except ValueError as error:
        raise UsageError(f"{path}: {error}") from None
    settings: dict[str, Any] = {str(k): str(v) for k, v in data.items() if k in SITE_KEYS}
    if words:
        settings["extra"] = {EXTRA_KEY: words}
    return settings
