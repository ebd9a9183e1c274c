"""The badge names the builder(s), the Docker engine, and the base images' .NET and provenance."""

from __future__ import annotations

import copy

from guiderunner.site.badge import ENGLISH, badge_html, relabel
from guiderunner.site.strings import EXTRA_KEY, load_site_strings, site_strings
from tests.conftest import ROOT

TOOLS = {"docker": "Docker", "dotnet": ".NET"}

FRENCH = site_strings(
    load_site_strings(ROOT / "translations" / "fr" / "site.yml")["extra"][EXTRA_KEY]
).badge

STAND_INS = [
    {"name": "mcr.microsoft.com/dotnet/sdk:10.0", "id": "sha256:43c5", "digest": None,
     "dotnet": "10.0.12", "stand_in": True},
    {"name": "mcr.microsoft.com/dotnet/aspnet:10.0", "id": "sha256:b4cb", "digest": None,
     "dotnet": "10.0.12", "stand_in": True},
    {"name": "registry:2", "id": "sha256:1ddd", "digest": None, "dotnet": None, "stand_in": True},
]  # fmt: skip
MICROSOFT = [
    {"name": "mcr.microsoft.com/dotnet/aspnet:10.0", "id": "sha256:9f1e",
     "digest": "mcr.microsoft.com/dotnet/aspnet@sha256:0123456789abcdef0123", "dotnet": "10.0.0",
     "stand_in": False},
]  # fmt: skip


def entry(builder: str, images: list[dict[str, object]], docker: str = "20.10.24+dfsg1"):
    return {
        "path": "docs/create-docker-images.md",
        "content_hash": "abc123",
        "passed": True,
        "fingerprint": {
            "docker_client": docker,
            "docker_server": docker,
            "builder": builder,
            "os": "linux",
            "arch": "amd64",
            "images": images,
        },
    }


def report(*entries):
    return {
        "finished": "2026-11-29T10:00:00+00:00",
        "environment": {"docker": "20.10.24+dfsg1", "dotnet": "10.0.401"},
        "pages": list(entries),
    }


def both(document):
    english = badge_html("create-docker-images.md", "abc123", document, tools=TOOLS)
    return english, relabel(english, FRENCH)


def test_one_environment_with_stand_ins():
    english, french = both(report(entry("buildkit", STAND_INS)))
    assert english.endswith(
        "Verified on November 29, 2026</time> with Docker 20.10.24+dfsg1 and BuildKit, "
        "on .NET 10.0.12 images built locally as stand-ins</p>"
    )
    assert french.endswith(
        "Vérifié le 29\u00a0novembre\u00a02026</time> avec Docker 20.10.24+dfsg1 et BuildKit, "
        "sur des "
        "images .NET 10.0.12 construites localement à la place de celles de Microsoft</p>"
    )
    assert "10.0.401" not in english  # the host's SDK is not what the images hold


def test_microsofts_images_show_their_digest():
    english, french = both(report(entry("legacy", MICROSOFT)))
    assert english.endswith(
        "with Docker 20.10.24+dfsg1 and the legacy builder, "
        "on .NET 10.0.0 images from Microsoft (sha256:0123456789ab)</p>"
    )
    assert french.endswith(
        "avec Docker 20.10.24+dfsg1 et l’ancien générateur, "
        "sur des images .NET 10.0.0 de Microsoft (sha256:0123456789ab)</p>"
    )


def test_a_merged_report_names_every_environment():
    english, french = both(report(entry("legacy", STAND_INS), entry("buildkit", STAND_INS)))
    assert "with Docker 20.10.24+dfsg1, with BuildKit and the legacy builder, on .NET" in english
    assert "avec Docker 20.10.24+dfsg1, avec BuildKit et l’ancien générateur, sur des" in french


def test_only_the_environments_it_passed_in():
    failed = {**entry("legacy", STAND_INS), "passed": False}
    english, _ = both(report(entry("buildkit", STAND_INS), failed))
    assert "and BuildKit," in english
    assert "legacy" not in english


def test_stand_ins_and_microsofts_images_together():
    english, french = both(report(entry("buildkit", STAND_INS[:1] + MICROSOFT)))
    assert "on .NET 10.0.12 and 10.0.0 images built locally as stand-ins and from Microsoft" in (
        english
    )
    assert "sur des images .NET 10.0.12 et 10.0.0 construites localement" in french


def test_relabelling_is_stable_and_goes_back():
    english, french = both(report(entry("buildkit", STAND_INS), entry("legacy", MICROSOFT)))
    assert relabel(french, FRENCH) == french
    assert relabel(french, ENGLISH) == english


def test_a_report_without_fingerprints_keeps_the_old_wording():
    old = copy.deepcopy(report(entry("buildkit", STAND_INS)))
    del old["pages"][0]["fingerprint"]
    english, _ = both(old)
    assert english.endswith("with Docker 20.10.24+dfsg1 and .NET 10.0.401</p>")
