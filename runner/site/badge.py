"""Page -> a discreet "Verified on ..." line, from the JSON report of a `runner verify` run.

A page is shown as verified only when the report holds a passing entry for it whose content
hash is the page's current one (`runner.cache.content_hash`): an edit to a command, an
expected output or the sample solution turns the badge back to "Not verified" until the next
run. The date is the page's own `verified_at` when the report has one (a page the cache did not
re-run), else the report's `finished`.

The words are English here, the source language; a translated site gets its words from its
`translations/<lang>/site.yml`. The badge carries its facts in `data-badge`, so the site plugin
re-renders it in the page's language (`relabel`) without the report at hand.

>>> report = {"finished": "2025-03-07T10:00:00+00:00", "environment": {"docker": "27.1.1",
...           "dotnet": "10.0.100"}, "pages": [{"path": "docs/a.md", "content_hash": "h1",
...           "passed": True}]}
>>> html = badge_html("docs/a.md", "h1", report, "en")
>>> print(html.split(">", 1)[1])  # doctest: +NORMALIZE_WHITESPACE
<time datetime="2025-03-07">Verified on March 7, 2025</time> with Docker 27.1.1 and .NET
10.0.100</p>
>>> french = Words("Vérifié le {date}", "avec", "et", "Non vérifié", "contenu {hash}",
...     ("janvier", "février", "mars") + ("",) * 9, "{day} {month} {year}", "1er")
>>> print(relabel(html, french).split(">", 1)[1])  # doctest: +NORMALIZE_WHITESPACE
<time datetime="2025-03-07">Vérifié le 7 mars 2025</time> avec Docker 27.1.1 et .NET
10.0.100</p>
>>> badge_html("docs/a.md", "h2", report, "en")
'<p class="verified not-verified">Not verified</p>'
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

__all__ = ["ENGLISH", "Facts", "Words", "badge_facts", "badge_html", "relabel", "render_badge"]


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
    content: str
    """The tooltip: `{hash}` is the start of the content hash that was verified."""
    months: tuple[str, ...]
    """Month names, January first."""
    date_format: str
    """`{day}`, `{month}` and `{year}`."""
    first_day: str = "1"
    """How the first day of a month is written: French writes « 1er »."""


ENGLISH = Words(
    "Verified on {date}",
    "with",
    "and",
    "Not verified",
    "content {hash}",
    ("January", "February", "March", "April", "May", "June", "July", "August",
     "September", "October", "November", "December"),
    "{month} {day}, {year}",
)  # fmt: skip
"""The source language's words; other languages' come from their site.yml."""

TOOLS = (("docker", "Docker"), ("dotnet", ".NET"))
"""Report key and display name of the tools the badge names, in order."""

DATA = re.compile(r"""\bdata-badge='([^']*)'""")


@dataclass(frozen=True, slots=True)
class Facts:
    """What a badge says, whatever the language."""

    day: date | None
    """When the page's current content passed; None: not verified."""
    tools: tuple[tuple[str, str], ...] = ()
    """(name, version) of the tools it ran with, in TOOLS order."""
    content: str = ""
    """The start of the verified content hash."""


def badge_html(page_path: str, content_hash: str, report: dict[str, Any] | None, lang: str) -> str:
    """The badge for a page in the source language's words; `lang` is the page's language.

    A translated site relabels it with its own words (`relabel`), so every language's badge
    says the same facts.
    """
    del lang  # the words of other languages live in their translations, not in code
    return render_badge(badge_facts(page_path, content_hash, report), ENGLISH)


def badge_facts(page_path: str, content_hash: str, report: Mapping[str, Any] | None) -> Facts:
    """Whether, when and with what the report verified this very content of the page."""
    entry = _passing_entry(report, page_path, content_hash) if report is not None else None
    when = _day(entry.get("verified_at") or report.get("finished")) if entry and report else None
    if report is None or when is None:
        return Facts(None)
    # A merged report's page ran on its own shard's machine: its own tools, then the report's.
    environment = (entry or {}).get("environment") or report.get("environment") or {}
    tools = tuple(
        (name, str(environment[key])) for key, name in TOOLS if environment.get(key)
    )
    return Facts(when, tools, content_hash[:12])


def render_badge(facts: Facts, words: Words) -> str:
    """The badge's HTML in `words`, with its facts in `data-badge` for `relabel`."""
    if facts.day is None:
        return f'<p class="verified not-verified">{html.escape(words.not_verified)}</p>'
    when = facts.day
    day = words.first_day if when.day == 1 else str(when.day)
    shown = words.verified.format(
        date=words.date_format.format(day=day, month=words.months[when.month - 1], year=when.year)
    )
    stamp = f'<time datetime="{when.isoformat()}">{html.escape(shown)}</time>'
    title = html.escape(words.content.format(hash=facts.content), quote=True)
    data = html.escape(
        json.dumps({"day": when.isoformat(), "tools": facts.tools, "content": facts.content}),
        quote=True,
    )
    tools = html.escape(_tools(facts.tools, words))
    return f"<p class=\"verified\" title=\"{title}\" data-badge='{data}'>{stamp}{tools}</p>"


def relabel(badge: str, words: Words) -> str:
    """The same badge in other words: the facts come from its `data-badge`."""
    found = DATA.search(badge)
    if found is None:
        return render_badge(Facts(None), words) if "not-verified" in badge else badge
    data = json.loads(html.unescape(found[1]))
    facts = Facts(
        date.fromisoformat(data["day"]),
        tuple((str(name), str(version)) for name, version in data["tools"]),
        str(data["content"]),
    )
    return render_badge(facts, words)


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


def _tools(tools: tuple[tuple[str, str], ...], words: Words) -> str:
    """` with Docker 27.1 and .NET 10.0.100`, or nothing when the report named no tool.

    >>> _tools((("Docker", "27"),), ENGLISH), _tools((), ENGLISH)
    (' with Docker 27', '')
    """
    named = [f"{name} {version}" for name, version in tools]
    if not named:
        return ""
    listed = ", ".join(named[:-1]) + f" {words.and_} " + named[-1] if len(named) > 1 else named[0]
    return f" {words.with_} {listed}"
