"""The built chapter's badge names the builders and the images' provenance, in both languages.

`runner publish` from a merged report of a BuildKit run and a legacy run (as `./dev main`
writes it): the English and the French chapter each say both builders, the Docker engine, the
.NET version inside the base images and that they are local stand-ins; the host's .NET SDK,
which no image holds, is not named.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guiderunner.cli.main import main as runner_main
from guiderunner.report.merge import ShardReport, merge
from tests.e2e.test_site_french import copy_project, page_hash

pytest.importorskip("material", reason="needs the `site` extra (mkdocs-material)")

IMAGES = [
    {"name": "mcr.microsoft.com/dotnet/sdk:10.0", "id": "sha256:43c5", "digest": None,
     "dotnet": "10.0.12", "stand_in": True},
    {"name": "mcr.microsoft.com/dotnet/aspnet:10.0", "id": "sha256:b4cb", "digest": None,
     "dotnet": "10.0.12", "stand_in": True},
]  # fmt: skip


def run_report(builder: str, chapter_hash: str) -> dict[str, object]:
    return {
        "finished": "2026-11-29T10:00:00+00:00",
        "environment": {"docker": "20.10.24+dfsg1", "dotnet": "10.0.401"},
        "passed": True,
        "pages": [
            {
                "path": "docs/create-docker-images.md",
                "content_hash": chapter_hash,
                "passed": True,
                "fingerprint": {
                    "docker_client": "20.10.24+dfsg1",
                    "docker_server": "20.10.24+dfsg1",
                    "builder": builder,
                    "os": "linux",
                    "arch": "amd64",
                    "images": IMAGES,
                },
            }
        ],
    }


def test_the_chapter_badge_tells_the_environment_in_both_languages(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    chapter_hash = page_hash(project, "create-docker-images.md")
    merged = merge([ShardReport(b, run_report(b, chapter_hash)) for b in ("buildkit", "legacy")])
    report = project / "report.json"
    report.write_text(json.dumps(merged), encoding="utf-8")
    config = project / "mkdocs.yml"
    assert runner_main(["publish", "--config", str(config), "--report", str(report)]) == 0
    site = project / "site"
    english = (site / "create-docker-images" / "index.html").read_text(encoding="utf-8")
    french = (site / "fr" / "create-docker-images" / "index.html").read_text(encoding="utf-8")
    assert (
        "Verified on November 29, 2026</time> with Docker 20.10.24+dfsg1, with BuildKit and the "
        "legacy builder, on .NET 10.0.12 images built locally as stand-ins</p>"
    ) in english
    assert (
        "Vérifié le 29\u00a0novembre\u00a02026</time> avec Docker 20.10.24+dfsg1, "
        "avec BuildKit et l’ancien générateur, sur des images .NET 10.0.12 construites "
        "localement à la place de celles de Microsoft</p>"
    ) in french
    assert "10.0.401" not in english + french
