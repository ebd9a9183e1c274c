"""Page -> a discreet "Verified on ..." line, from the JSON report of a `runner verify` run.

A page is shown as verified only when the report holds a passing entry for it whose content
hash is the page's current one (`runner.cache.content_hash`): an edit to a command, an
expected output or the sample solution turns the badge back to "Not verified" until the next
run. The date is the page's own `verified_at` when the report has one (a page the cache did not
re-run), else the report's `finished`.

>>> report = {"finished": "2025-03-07T10:00:00+00:00", "environment": {"docker": "27.1.1",
...           "dotnet": "10.0.100"}, "pages": [{"path": "docs/a.md", "content_hash": "h1",
...           "passed": True}]}
>>> print(badge_html("docs/a.md", "h1", report, "en"))  # doctest: +NORMALIZE_WHITESPACE
<p class="verified" title="content h1"><time datetime="2025-03-07">Verified on March 7,
2025</time> with Docker 27.1.1 and .NET 10.0.100</p>
>>> print(badge_html("a.md", "h1", report, "fr"))  # doctest: +NORMALIZE_WHITESPACE
<p class="verified" title="content h1"><time datetime="2025-03-07">Vérifié le 7 mars
2025</time> avec Docker 27.1.1 et .NET 10.0.100</p>
>>> badge_html("docs/a.md", "h2", report, "en")
'<p class="verified not-verified">Not verified</p>'
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

__all__ = ["badge_html"]


@dataclass(frozen=True, slots=True)
class Words:
    """The badge's words in one language."""

    verified: str
    """`{date}` is the date of the run."""
    with_: str
    """Before the list of tools."""
    and_: str
    """Between the last two tools."""
    not_verified: str
    """When the report has no passing run of this very content."""
    months: tuple[str, ...]
    """Month names, January first."""
    date_format: str
    """`{day}`, `{month}` and `{year}`."""


WORDS: Mapping[str, Words] = {
    "en": Words(
        "Verified on {date}", "with", "and", "Not verified",
        ("January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December"),
        "{month} {day}, {year}",
    ),
    "fr": Words(
        "Vérifié le {date}", "avec", "et", "Non vérifié",
        ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
         "septembre", "octobre", "novembre", "décembre"),
        "{day} {month} {year}",
    ),
}
"""Languages the site is published in; any other falls back to English."""

TOOLS = (("docker", "Docker"), ("dotnet", ".NET"))
"""Report key and display name of the tools the badge names, in order."""


def badge_html(page_path: str, content_hash: str, report: dict[str, Any] | None, lang: str) -> str:
    """The badge for a page: verified (with date and tools) or not, in `lang`."""
    words = WORDS.get(lang, WORDS["en"])
    entry = _passing_entry(report, page_path, content_hash) if report is not None else None
    when = _day(entry.get("verified_at") or report.get("finished")) if entry and report else None
    if report is None or when is None:
        return f'<p class="verified not-verified">{html.escape(words.not_verified)}</p>'
    month = words.months[when.month - 1]
    shown = words.verified.format(
        date=words.date_format.format(day=when.day, month=month, year=when.year)
    )
    stamp = f'<time datetime="{when.isoformat()}">{html.escape(shown)}</time>'
    tools = _tools(report.get("environment") or {}, words)
    title = html.escape(f"content {content_hash[:12]}", quote=True)
    return f'<p class="verified" title="{title}">{stamp}{html.escape(tools)}</p>'


def _passing_entry(
    report: Mapping[str, Any], page_path: str, content_hash: str
) -> dict[str, Any] | None:
    """The report's entry for this page and content, when it passed.

    The report names pages as the runner was given them (`docs/a.md`), the site by their path
    in the docs folder (`a.md`): a match of whole trailing path components is enough, since the
    hash must match too.
    """
    wanted = page_path.replace("\\", "/").removeprefix("./")
    for entry in report.get("pages") or []:
        if not isinstance(entry, dict) or entry.get("content_hash") != content_hash:
            continue
        path = str(entry.get("path", "")).replace("\\", "/").removeprefix("./")
        if (path == wanted or path.endswith("/" + wanted)) and entry.get("passed") is True:
            return entry
    return None


def _day(stamp: object) -> date | None:
    try:
        return datetime.fromisoformat(str(stamp)).date()
    except ValueError:
        return None


def _tools(environment: Mapping[str, Any], words: Words) -> str:
    """` with Docker 27.1 and .NET 10.0.100`, leaving out the tools the report has no version for.

    >>> _tools({"docker": "27", "dotnet": None}, WORDS["en"]), _tools({}, WORDS["en"])
    (' with Docker 27', '')
    """
    named = [f"{name} {environment[key]}" for key, name in TOOLS if environment.get(key)]
    if not named:
        return ""
    listed = ", ".join(named[:-1]) + f" {words.and_} " + named[-1] if len(named) > 1 else named[0]
    return f" {words.with_} {listed}"
