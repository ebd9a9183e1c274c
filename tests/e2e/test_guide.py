"""The real chapter against the real toolchain, and mutants that must fail where they break."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.docker, pytest.mark.timeout(2400)]

CHAPTER = ROOT / "docs" / "create-docker-images.md"
CONFIG = ROOT / "mkdocs.yml"


def docker_objects() -> set[str]:
    ids = set()
    for args in (["ps", "-aq", "--no-trunc"], ["network", "ls", "-q", "--no-trunc"]):
        done = subprocess.run(["docker", *args], capture_output=True, text=True, check=True)
        ids.update(done.stdout.split())
    return ids


def git_status() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--ignored=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_chapter_passes_and_leaves_nothing_behind(runner, tmp_path: Path):
    before_docker, before_git = docker_objects(), git_status()
    junit = tmp_path / "junit.xml"
    run = runner("verify", "--config", CONFIG, "--junit", junit, CHAPTER)
    assert run.status == 0, run.out
    cases = ET.parse(junit).getroot().findall("testsuite/testcase")
    names = [case.get("name", "") for case in cases]
    assert any("docker build -f src/StockData/Dockerfile" in name for name in names)
    assert any("start stockdata" in name for name in names)
    assert any("write src/StockData/Dockerfile" in name for name in names)
    skipped = [case.get("name") for case in cases if case.find("skipped") is not None]
    assert skipped
    assert all("<myorg>/stockdata:1.0.0" in str(n) or "login" in str(n) for n in skipped)
    assert docker_objects() == before_docker
    assert git_status() == before_git


# The test project's COPY in StockData's Dockerfile (the same line in StockWeb's is left alone).
STOCKDATA_RESTORE = (
    "COPY tests/StockKube.Tests/{test_project} tests/StockKube.Tests/\n"
    "RUN dotnet restore\nCOPY . .\nRUN dotnet publish src/StockData"
)

MUTANTS = [
    pytest.param(
        "$ docker run -ti --rm -p 5000:8080 stockdata:1.0.0",
        "$ docker run -ti --rm -p 5000:80 stockdata:1.0.0",
        "$ curl -s --http2-prior-knowledge http://localhost:5000/",
        id="wrong-container-port",
    ),
    pytest.param(
        'COPY --from=build /published .\nUSER $APP_UID\nENTRYPOINT ["dotnet", "StockData.dll"]',
        'COPY --from=builder /published .\nUSER $APP_UID\nENTRYPOINT ["dotnet", "StockData.dll"]',
        "$ docker build -f src/StockData/Dockerfile -t stockdata:1.0.0 .",
        id="copy-from-unknown-stage",
    ),
    pytest.param(
        "$ docker tag stockdata:1.0.0 <internal-registry:5000>",
        "$ docker tag stockdata:0.9.0 <internal-registry:5000>",
        "$ docker tag stockdata:0.9.0 <internal-registry:5000>",
        id="tag-of-an-image-never-built",
    ),
    pytest.param(
        STOCKDATA_RESTORE.format(test_project="StockKube.Tests.csproj"),
        STOCKDATA_RESTORE.format(test_project="StockKube.Test.csproj"),
        "$ docker build -f src/StockData/Dockerfile -t stockdata:1.0.0 .",
        id="copy-of-a-missing-file",
    ),
]


@pytest.mark.parametrize(("original", "mutant", "failing_line"), MUTANTS)
def test_a_broken_step_fails_at_its_line(runner, tmp_path: Path, original, mutant, failing_line):
    text = CHAPTER.read_text(encoding="utf-8")
    assert text.count(original) == 1
    page = tmp_path / "docs" / CHAPTER.name
    page.parent.mkdir()
    page.write_text(text.replace(original, mutant), encoding="utf-8")
    lines = page.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, 1) if text.startswith(failing_line))
    before_docker = docker_objects()
    run = runner("verify", "--config", CONFIG, page)
    assert run.status == 1, run.out
    assert f"at docs/{CHAPTER.name}:{line}: " in run.out, run.out
    failures = [row.split() for row in run.out.splitlines() if row.startswith(("  FAIL", "  ERR"))]
    assert failures[0][1] == str(line), run.out
    assert docker_objects() == before_docker
