"""The JSON report carries each page's fingerprint; reports of several runs merge into one."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from guiderunner.model import PageResult
from guiderunner.report import json_report
from tests.conftest import ROOT

PRINT = {
    "docker_client": "20.10.24+dfsg1",
    "docker_server": "20.10.24+dfsg1",
    "builder": "buildkit",
    "os": "linux",
    "arch": "amd64",
    "images": [
        {
            "name": "mcr.microsoft.com/dotnet/aspnet:10.0",
            "id": "sha256:b4cb",
            "digest": None,
            "dotnet": "10.0.12",
            "stand_in": True,
        }
    ],
}


@pytest.fixture(autouse=True)
def _no_tools(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_report, "tool_versions", lambda: {"bash": "5.2"})


def test_each_page_has_its_fingerprint_or_null(tmp_path):
    path = tmp_path / "report.json"
    prints: dict[str, dict[str, object]] = {}
    reporter = json_report.JsonReporter(path, fingerprints=prints)
    prints["docker.md"] = PRINT  # filled as pages run, read when the run is finished
    reporter.run_finished([PageResult("docker.md", (), 1.0), PageResult("plain.md", (), 1.0)])
    pages = json.loads(path.read_text(encoding="utf-8"))["pages"]
    assert pages[0]["fingerprint"] == PRINT
    assert pages[1]["fingerprint"] is None


def test_runs_under_two_builders_merge_into_one_report_with_both(tmp_path):
    legacy = {**PRINT, "builder": "legacy"}
    paths = []
    for name, fingerprint in (("buildkit", PRINT), ("legacy", legacy)):
        path = tmp_path / f"report.{name}.json"
        # A page with `runner: when` output has another plan, so another hash, per builder.
        reporter = json_report.JsonReporter(path, {"a.md": f"h-{name}"}, {"a.md": fingerprint})
        reporter.run_finished([PageResult("a.md", (), 1.0)])
        paths.append(str(path))
    merged = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "guiderunner", "report", "merge", *paths, "--json", str(merged)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(merged.read_text(encoding="utf-8"))
    assert [p["fingerprint"]["builder"] for p in document["pages"]] == ["buildkit", "legacy"]
    assert document["passed"] is True
