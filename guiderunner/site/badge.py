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
>>> html = badge_html("docs/a.md", "h1", report, tools={"docker": "Docker", "dotnet": ".NET"})
>>> print(html.split(">", 1)[1])  # doctest: +NORMALIZE_WHITESPACE
<time datetime="2025-03-07">Verified on March 7, 2025</time> with Docker 27.1.1 and .NET
10.0.100</p>
>>> french = Words("Vérifié le {date}", "avec", "et", "Non vérifié", "contenu {hash}",
...     ("janvier", "février", "mars") + ("",) * 9, "{day} {month} {year}", "1er")
>>> print(relabel(html, french).split(">", 1)[1])  # doctest: +NORMALIZE_WHITESPACE
<time datetime="2025-03-07">Vérifié le 7 mars 2025</time> avec Docker 27.1.1 et .NET
10.0.100</p>
>>> badge_html("docs/a.md", "h2", report)
'<p class="verified not-verified">Not verified</p>'
>>> report["pages"][0]["passed"] = False
>>> badge_html("docs/a.md", "h1", report)
'<p class="verified failed">Failed</p>'
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from guiderunner.settings import BUILDERS
from guiderunner.site.badge_words import (
    ENGLISH,
    Facts,
    Words,
    environment_text,
    origin,
    origin_order,
    tools_text,
)

__all__ = [
    "ENGLISH",
    "Facts",
    "Words",
    "badge_facts",
    "badge_html",
    "passing_entries",
    "relabel",
    "render_badge",
]


DATA = re.compile(r"""\bdata-badge='([^']*)'""")


def badge_html(
    page_path: str,
    content_hash: str,
    report: dict[str, Any] | None,
    also: Collection[str] = (),
    tools: Mapping[str, str] | None = None,
) -> str:
    """The badge for a page in the source language's words.

    A translated site relabels it with its own words (`relabel`), so every language's badge
    says the same facts. `tools` are the tools the page ran (report key -> name shown).
    """
    return render_badge(badge_facts(page_path, content_hash, report, also, tools), ENGLISH)


def badge_facts(
    page_path: str,
    content_hash: str,
    report: Mapping[str, Any] | None,
    also: Collection[str] = (),
    tools: Mapping[str, str] | None = None,
) -> Facts:
    """Whether, when and with what the report verified this very content of the page.

    A merged report (guiderunner.report.merge) may hold the page once per environment: the badge
    names every environment it passed in, and the latest date. A page with `runner: when`
    comments has another plan, so another hash, under another builder: `also` holds those.
    """
    accepted = {content_hash, *also}
    entries = passing_entries(report, page_path, accepted) if report is not None else []
    if report is not None and not entries:
        return Facts(None, failed=bool(_entries(report, page_path, accepted)))
    days = [_day(e.get("verified_at") or (report or {}).get("finished")) for e in entries]
    known = [day for day in days if day is not None]
    if report is None or not known:
        return Facts(None)
    prints = [e["fingerprint"] for e in entries if isinstance(e.get("fingerprint"), dict)]
    builders = {str(p.get("builder")) for p in prints}
    if not builders & set(BUILDERS):
        # A merged report's page ran on its own shard's machine: its own tools, then the report's.
        first = entries[0] if entries else {}
        environment = first.get("environment") or report.get("environment") or {}
        named = (tools or {}).items()
        found = tuple((name, str(environment[k])) for k, name in named if environment.get(k))
        return Facts(max(known), found, content_hash[:12])
    images = [i for p in prints for i in p.get("images") or [] if isinstance(i, dict)]
    dotnet_images = [i for i in images if i.get("dotnet")]
    return Facts(
        max(known),
        content=content_hash[:12],
        docker=_once(str(p["docker_server"]) for p in prints if p.get("docker_server")),
        builders=tuple(b for b in BUILDERS if b in builders),
        dotnet=_once(str(i["dotnet"]) for i in dotnet_images),
        origins=tuple(sorted(set(map(origin, dotnet_images)), key=origin_order)),
    )


def _once(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def render_badge(facts: Facts, words: Words) -> str:
    """The badge's HTML in `words`, with its facts in `data-badge` for `relabel`."""
    if facts.day is None and facts.failed:
        return f'<p class="verified failed">{html.escape(words.failed)}</p>'
    if facts.day is None:
        return f'<p class="verified not-verified">{html.escape(words.not_verified)}</p>'
    when = facts.day
    day = words.first_day if when.day == 1 else str(when.day)
    shown = words.verified.format(
        date=words.date_format.format(day=day, month=words.months[when.month - 1], year=when.year)
    )
    stamp = f'<time datetime="{when.isoformat()}">{html.escape(shown)}</time>'
    title = html.escape(words.content.format(hash=facts.content), quote=True)
    data = html.escape(json.dumps(_data(facts)), quote=True)
    said = environment_text(facts, words) if facts.builders else tools_text(facts.tools, words)
    return (
        f'<p class="verified" title="{title}" data-badge=\'{data}\'>{stamp}{html.escape(said)}</p>'
    )


def relabel(badge: str, words: Words) -> str:
    """The same badge in other words: the facts come from its `data-badge`."""
    found = DATA.search(badge)
    if found is None and '"verified failed"' in badge:
        return render_badge(Facts(None, failed=True), words)
    if found is None:
        return render_badge(Facts(None), words) if "not-verified" in badge else badge
    data = json.loads(html.unescape(found[1]))
    facts = Facts(
        date.fromisoformat(data["day"]),
        tuple((str(name), str(version)) for name, version in data["tools"]),
        str(data["content"]),
        docker=tuple(map(str, data.get("docker", ()))),
        builders=tuple(map(str, data.get("builders", ()))),
        dotnet=tuple(map(str, data.get("dotnet", ()))),
        origins=tuple((str(kind), str(digest)) for kind, digest in data.get("origins", ())),
    )
    return render_badge(facts, words)


def _data(facts: Facts) -> dict[str, object]:
    """The facts as `data-badge` carries them (the newer ones only when there are some)."""
    assert facts.day is not None
    data: dict[str, object] = {
        "day": facts.day.isoformat(),
        "tools": facts.tools,
        "content": facts.content,
    }
    if facts.builders:
        data.update(
            docker=facts.docker, builders=facts.builders, dotnet=facts.dotnet, origins=facts.origins
        )
    return data


def passing_entries(
    report: Mapping[str, Any], page_path: str, accepted: Collection[str]
) -> list[dict[str, Any]]:
    """The report's entries for this page and content that passed (one per environment)."""
    return [entry for entry in _entries(report, page_path, accepted) if entry.get("passed") is True]


def _entries(
    report: Mapping[str, Any], page_path: str, accepted: Collection[str]
) -> list[dict[str, Any]]:
    """The report's entries for this page and content, passed or not.

    The report names pages as the runner was given them (`docs/a.md`), the site by their path
    in the docs folder (`a.md`): a match of whole trailing path components is enough, since the
    hash must match too.
    """
    wanted = page_path.replace("\\", "/").removeprefix("./")
    found = []
    for entry in report.get("pages") or []:
        if not isinstance(entry, dict) or entry.get("content_hash") not in accepted:
            continue
        path = str(entry.get("path", "")).replace("\\", "/").removeprefix("./")
        if path == wanted or path.endswith("/" + wanted):
            found.append(entry)
    return found


def _day(stamp: object) -> date | None:
    try:
        return datetime.fromisoformat(str(stamp)).date()
    except ValueError:
        return None
