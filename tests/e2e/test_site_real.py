"""The real pages, published: what readers see, and which pages say they are verified."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.site_helpers import copy_project, page_hash

pytestmark = pytest.mark.timeout(600)


def test_badges_follow_the_report_and_the_content(runner, tmp_path: Path):
    project = copy_project(tmp_path)
    report = {
        "finished": "2026-03-07T10:00:00+00:00",
        "environment": {"docker": "28.2.2", "dotnet": "10.0.401"},
        "pages": [
            {
                "path": "docs/authoring.md",
                "content_hash": page_hash(project, "authoring.md"),
                "passed": True,
            },
            {"path": "docs/index.md", "content_hash": "stale", "passed": True},
        ],
    }
    (project / "report.json").write_text(json.dumps(report))
    run = runner("publish", "--config", project / "mkdocs.yml", "--report", project / "report.json")
    assert run.status == 0, run.out + run.err
    english = (project / "site" / "authoring" / "index.html").read_text()
    french = (project / "site" / "fr" / "authoring" / "index.html").read_text()
    home = (project / "site" / "index.html").read_text()
    # The badge names the tools the page ran: authoring.md runs docker, never dotnet.
    assert "Verified on March 7, 2026</time> with Docker 28.2.2</p>" in english
    assert "Vérifié le 7\u00a0mars\u00a02026</time> avec Docker 28.2.2</p>" in french
    assert "Not verified" in home
    assert "Verified on" not in home


def test_the_chapter_renders_as_readers_should_see_it(runner, tmp_path: Path):
    project = copy_project(tmp_path)
    run = runner("publish", "--config", project / "mkdocs.yml")
    assert run.status == 0, run.out + run.err
    for language in ("", "fr/"):
        chapter = (project / "site" / language / "create-docker-images" / "index.html").read_text()
        for title in ("src/StockData/Dockerfile", "src/StockWeb/Dockerfile", ".dockerignore"):
            assert f'<span class="filename">{title}</span>' in chapter
        assert chapter.count('class="admonition warning"') == 1
        assert chapter.count('class="admonition note"') == 10  # "Not verified here" among them
        assert "runner:" not in chapter
        assert "grpc_call" not in chapter  # a hidden block's command
        assert "openssl req" not in chapter  # the hidden certificate set-up
