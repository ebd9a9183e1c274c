"""The badge's words and facts: what a "Verified on" line says, and how, in one language.

guiderunner.site.badge decides the facts from a report and renders them with these words;
a translated site gives its own words (site.yml), so every language says the same facts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from guiderunner.settings import BUILDERS


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
    """When the report has no run of this very content."""
    content: str
    """The tooltip: `{hash}` is the start of the content hash that was verified."""
    months: tuple[str, ...]
    """Month names, January first."""
    date_format: str
    """`{day}`, `{month}` and `{year}`."""
    first_day: str = "1"
    """How the first day of a month is written: French writes « 1er »."""
    buildkit: str = "BuildKit"
    """The BuildKit builder's name."""
    legacy: str = "the legacy builder"
    """The legacy builder's name."""
    images: str = "on .NET {dotnet} images {origin}"
    """The base images: `{dotnet}` their .NET versions, `{origin}` where they came from."""
    stand_ins: str = "built locally as stand-ins"
    """Images the toolchain built in place of Microsoft's."""
    microsoft: str = "from Microsoft ({digests})"
    """Microsoft's images, `{digests}` the digests they were pulled by."""
    pulled: str = "pulled by digest ({digests})"
    """Another publisher's images, pulled by these digests."""
    local: str = "built locally"
    """Images built on the machine, neither stand-ins nor pulled."""
    failed: str = "Failed"
    """When the report's last run of this very content failed."""


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


MICROSOFT = "mcr.microsoft.com/"
ORIGINS = ("stand_ins", "microsoft", "pulled", "local")
"""Where base images came from, in the order a badge names them (Words field names)."""


@dataclass(frozen=True, slots=True)
class Facts:
    """What a badge says, whatever the language."""

    day: date | None
    """When the page's current content passed; None: not verified."""
    tools: tuple[tuple[str, str], ...] = ()
    """(name, version) of the tools it ran with, in TOOLS order (reports without fingerprint)."""
    content: str = ""
    """The start of the verified content hash."""
    docker: tuple[str, ...] = ()
    """The Docker engine versions it passed with (one per environment, each once)."""
    builders: tuple[str, ...] = ()
    """The builders it passed under, in BUILDERS order: several for a merged report."""
    dotnet: tuple[str, ...] = ()
    """The .NET versions inside the base images it used."""
    origins: tuple[tuple[str, str], ...] = ()
    """(origin, short digest or "") of those images: an ORIGINS name each."""
    failed: bool = False
    """Not verified because the report's run of this content failed (day is then None)."""


def origin(image: Mapping[str, Any]) -> tuple[str, str]:
    """Where an image came from, and its short digest when it was pulled.

    >>> sdk = "mcr.microsoft.com/dotnet/sdk:10.0"
    >>> origin({"name": sdk, "digest": "x@sha256:0123456789abcdef"})
    ('microsoft', 'sha256:0123456789ab')
    >>> origin({"name": "mcr.microsoft.com/dotnet/sdk:10.0", "stand_in": True})
    ('stand_ins', '')
    """
    if image.get("stand_in") is True:
        return ("stand_ins", "")
    digest = str(image.get("digest") or "")
    if not digest:
        return ("local", "")
    short = digest.split("@", 1)[-1][: len("sha256:") + 12]
    return ("microsoft" if str(image.get("name", "")).startswith(MICROSOFT) else "pulled", short)


def origin_order(where: tuple[str, str]) -> tuple[int, str]:
    """The sort key that names origins in ORIGINS order, then by digest."""
    return (ORIGINS.index(where[0]), where[1])


def environment_text(facts: Facts, words: Words) -> str:
    """` with Docker 20.10 and BuildKit, on .NET 10.0.12 images built locally as stand-ins`.

    >>> print(environment_text(Facts(None, docker=("27",), builders=("buildkit", "legacy"),
    ...     dotnet=("10.0.1",), origins=(("microsoft", "sha256:ab"),)), ENGLISH))
    ... # doctest: +NORMALIZE_WHITESPACE
     with Docker 27, with BuildKit and the legacy builder, on .NET 10.0.1 images
     from Microsoft (sha256:ab)
    """
    builders = [getattr(words, name) for name in facts.builders if name in BUILDERS]
    said = f" {words.with_} Docker {listed(facts.docker, words)}" if facts.docker else ""
    if len(builders) == 1:
        said += f" {words.and_} {builders[0]}" if said else f" {words.with_} {builders[0]}"
    elif builders:
        said += f", {words.with_} {listed(builders, words)}"
    if facts.dotnet and facts.origins:
        said += ", " + words.images.format(
            dotnet=listed(facts.dotnet, words), origin=listed(origins_text(facts, words), words)
        )
    return said


def origins_text(facts: Facts, words: Words) -> list[str]:
    """Each origin once, in ORIGINS order, pulled ones with their digests."""
    shown = []
    for kind in ORIGINS:
        digests = [digest for name, digest in facts.origins if name == kind]
        if digests:
            shown.append(getattr(words, kind).format(digests=", ".join(d for d in digests if d)))
    return shown


def listed(items: Sequence[str], words: Words) -> str:
    """`a`, `a and b`, `a, b and c`.

    >>> listed(["a", "b", "c"], ENGLISH)
    'a, b and c'
    """
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {words.and_} " + items[-1]


def tools_text(tools: tuple[tuple[str, str], ...], words: Words) -> str:
    """` with Docker 27.1 and .NET 10.0.100`, or nothing when the report named no tool.

    >>> tools_text((("Docker", "27"),), ENGLISH), tools_text((), ENGLISH)
    (' with Docker 27', '')
    """
    named = [f"{name} {version}" for name, version in tools]
    return f" {words.with_} {listed(named, words)}" if named else ""
