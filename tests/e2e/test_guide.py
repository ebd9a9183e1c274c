"""The real chapter against the real toolchain, and mutants that must fail where they break."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT, Run

pytestmark = [pytest.mark.docker, pytest.mark.own_engine, pytest.mark.timeout(2400)]

CHAPTER = ROOT / "docs" / "create-docker-images.md"
CONFIG = ROOT / "mkdocs.yml"


def docker_objects() -> set[str]:
    ids = set()
    for args in (
        ["ps", "-aq", "--no-trunc"],
        ["network", "ls", "-q", "--no-trunc"],
        ["volume", "ls", "-q"],
    ):
        done = subprocess.run(["docker", *args], capture_output=True, text=True, check=True)
        ids.update(done.stdout.split())
    return ids


def page_images() -> set[str]:
    """The chapter's own image names that exist now."""
    done = subprocess.run(
        ["docker", "image", "ls", "--format", "{{.Repository}}:{{.Tag}}"],
        capture_output=True,
        text=True,
        check=True,
    )
    names = (
        "stockdata",
        "stockweb",
        "stockkube/stockdata",
        "localhost:15104/stockkube/stockdata",
        "localhost:15104/dotnet/aspnet",
    )
    return {row for row in done.stdout.split() if row.split(":")[0] in names}


def git_status() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--ignored=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def without_hidden_blocks(text: str) -> str:
    """What a reader sees: the page with every `<!-- runner: hidden ... -->` comment removed."""
    return re.sub(r"<!-- runner: hidden\n.*?\n-->\n", "", text, flags=re.S)


@dataclass(frozen=True)
class ChapterRun:
    """One whole run of the chapter, and the engine and checkout around it."""

    run: Run
    junit: Path
    docker_before: set[str]
    docker_after: set[str]
    git_before: str
    git_after: str
    images_after: set[str]


@pytest.fixture(scope="module")
def chapter_run(tmp_path_factory: pytest.TempPathFactory) -> ChapterRun:
    """The chapter verified once, for every test that needs it whole (a minute of the suite).

    Its own cache and state folders (the suite's autouse ones are per test), so nothing of the
    user's is read and the run is a real one.
    """
    base = tmp_path_factory.mktemp("chapter")
    junit = base / "junit.xml"
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(base / "cache"),
        "XDG_STATE_HOME": str(base / "state"),
        "PYTHONPATH": str(ROOT),
    }
    docker_before, git_before = docker_objects(), git_status()
    verify = ["verify", "--no-cache", "--config", str(CONFIG), "--junit", str(junit), str(CHAPTER)]
    done = subprocess.run(
        [sys.executable, "-m", "guiderunner", *verify],
        cwd=base,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    run = Run(done.returncode, done.stdout, done.stderr)
    return ChapterRun(
        run, junit, docker_before, docker_objects(), git_before, git_status(), page_images()
    )


def test_the_chapter_passes_and_leaves_nothing_behind(chapter_run: ChapterRun):
    assert chapter_run.run.status == 0, chapter_run.run.out + chapter_run.run.err
    cases = ET.parse(chapter_run.junit).getroot().findall("testsuite/testcase")
    names = [case.get("name", "") for case in cases]
    assert any("docker build -f src/StockData/Dockerfile" in name for name in names)
    assert any("start stockdata" in name for name in names)
    assert any("write src/StockData/Dockerfile" in name for name in names)
    registry = "docker run -d -p 15104:5000 --name stockkube-guide-registry registry:2"
    assert any(registry in name for name in names)
    skipped = [case for case in cases if case.find("skipped") is not None]
    reasons = {str(case.find("skipped").get("message", "")) for case in skipped}  # type: ignore[union-attr]
    assert skipped
    assert all("Docker Hub" in why or "not verified here" in why for why in reasons), reasons
    assert chapter_run.docker_after == chapter_run.docker_before
    assert not chapter_run.images_after, "the chapter's clean-up leaves none of its images"
    assert chapter_run.git_after == chapter_run.git_before


def test_a_reader_who_sees_no_hidden_block_gets_the_same_result(runner, tmp_path: Path):
    text = CHAPTER.read_text(encoding="utf-8")
    shown = without_hidden_blocks(text)
    assert "runner: hidden" in text
    assert "runner: hidden" not in shown
    page = tmp_path / "docs" / CHAPTER.name
    page.parent.mkdir()
    page.write_text(shown, encoding="utf-8")
    before_docker = docker_objects()
    run = runner("verify", "--config", CONFIG, page)
    assert run.status == 0, run.out
    assert docker_objects() == before_docker


# The first lines of StockData's Dockerfile (Dockerfile.chiseled repeats them, under its own title).
STOCKDATA_RESTORE = (
    'title="src/StockData/Dockerfile"\nFROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\n'
    "WORKDIR /src\nCOPY Directory.Build.props .\nCOPY src/StockData/{project} src/StockData/"
)

# The runtime stage's COPY in StockData's Dockerfile (the chiseled one is followed by a build).
RUNTIME_COPY = (
    'COPY --from={stage} /published .\nUSER $APP_UID\nENTRYPOINT ["dotnet", "StockData.dll"]\n'
    "```\n\n###"
)

MUTANTS = [
    pytest.param(
        "$ docker run -ti --rm -p 15101:8080 stockdata:1.0.0",
        "$ docker run -ti --rm -p 15101:80 stockdata:1.0.0",
        "$ curl -s --http2-prior-knowledge http://localhost:15101/",
        id="wrong-container-port",
    ),
    pytest.param(
        RUNTIME_COPY.format(stage="build"),
        RUNTIME_COPY.format(stage="builder"),
        "$ docker build -f src/StockData/Dockerfile -t stockdata:1.0.0 .",
        id="copy-from-unknown-stage",
    ),
    pytest.param(
        '$ docker tag stockdata:1.0.0 "$REGISTRY/$ORG/stockdata:1.0.0"',
        '$ docker tag stockdata:0.9.0 "$REGISTRY/$ORG/stockdata:1.0.0"',
        '$ docker tag stockdata:0.9.0 "$REGISTRY/$ORG/stockdata:1.0.0"',
        id="tag-of-an-image-never-built",
    ),
    pytest.param(
        STOCKDATA_RESTORE.format(project="StockData.csproj"),
        STOCKDATA_RESTORE.format(project="StockData.csprj"),
        "$ docker build -f src/StockData/Dockerfile -t stockdata:1.0.0 .",
        id="copy-of-a-missing-file",
    ),
    pytest.param(
        "    -e ASPNETCORE_HTTP_PORTS= \\\n",
        "",
        "<!-- runner: stop=stockdata-https -->",  # a service's output is judged when it stops
        id="https-run-still-serves-plain-http",
    ),
    pytest.param(
        "https/\n**/*.key\n",
        "**/*.key\n",
        "$ docker run --rm stockdata-build ls",
        id="certificate-folder-in-the-build-context",
    ),
    pytest.param(
        '$ docker image rm stockdata:1.0.0 "$ORG/stockdata:1.0.0" "$REGISTRY/$ORG/stockdata:1.0.0"',
        '$ docker image rm "$REGISTRY/$ORG/stockdata:1.0.0"',
        '$ docker image rm "$REGISTRY/$ORG/stockdata:1.0.0"',
        id="pull-proves-nothing-while-a-local-tag-remains",
    ),
]


def visible_lines(lines: list[str]) -> list[tuple[int, str]]:
    """Numbered lines outside `<!-- runner: when -->` comments (another builder's output)."""
    shown, inside = [], False
    for number, text in enumerate(lines, 1):
        if text.startswith("<!-- runner: when"):
            inside = True
        elif inside and text.startswith("-->"):
            inside = False
        elif not inside:
            shown.append((number, text))
    return shown


@pytest.mark.parametrize(("original", "mutant", "failing_line"), MUTANTS)
def test_a_broken_step_fails_at_its_line(runner, tmp_path: Path, original, mutant, failing_line):
    text = CHAPTER.read_text(encoding="utf-8")
    assert text.count(original) == 1
    page = tmp_path / "docs" / CHAPTER.name
    page.parent.mkdir()
    page.write_text(text.replace(original, mutant), encoding="utf-8")
    lines = page.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in visible_lines(lines) if text.startswith(failing_line))
    before_docker = docker_objects()
    run = runner("verify", "--config", CONFIG, page)
    assert run.status == 1, run.out
    assert f"at docs/{CHAPTER.name}:{line}: " in run.out, run.out
    failures = [row.split() for row in run.out.splitlines() if row.startswith(("  FAIL", "  ERR"))]
    assert failures[0][1] == str(line), run.out
    assert docker_objects() == before_docker


def test_a_chapter_missing_its_registry_tag_fails_on_a_machine_that_ran_it_before(
    chapter_run: ChapterRun, runner, tmp_path: Path
):
    # A leftover tag of an earlier run must not stand in for the line the reader lacks.
    assert chapter_run.run.status == 0, chapter_run.run.out
    tag_line = '$ docker tag stockdata:1.0.0 "$REGISTRY/$ORG/stockdata:1.0.0"\n'
    text = CHAPTER.read_text(encoding="utf-8")
    assert text.count(tag_line) == 1
    page = tmp_path / "docs" / CHAPTER.name
    page.parent.mkdir()
    page.write_text(text.replace(tag_line, ""), encoding="utf-8")
    run = runner("verify", "--config", CONFIG, page)
    assert run.status == 1, run.out
    assert '$ docker push "$REGISTRY/$ORG/stockdata:1.0.0"' in run.out
