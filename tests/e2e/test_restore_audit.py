"""A vulnerability advisory for a package of the graph must not break the chapter's image build.

A local audit source (a NuGet V3 service index with a VulnerabilityInfo resource, served on
loopback) flags Grpc.AspNetCore.Server, a transitive package of StockData. The chapter's
Dockerfile, with `COPY NuGet.config .` added as its walk-through tells, builds the image from
a copy of the sample: it succeeds, the warning printed. The same build with the sample's
projects as they were (warnings as errors, audit warnings included) fails with NU1903.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.docker, pytest.mark.timeout(1800)]

CHAPTER = ROOT / "docs" / "create-docker-images.md"
SAMPLE = ROOT / "sample-solution"
FLAGGED = "grpc.aspnetcore.server"
BUILD = ("docker", "build", "--no-cache", "--force-rm", "--network", "host")
DEFUSED = "$(WarningsNotAsErrors);NU1901;NU1902;NU1903;NU1904"


def chapter_dockerfile() -> str:
    """StockData's Dockerfile exactly as the chapter shows it."""
    text = CHAPTER.read_text(encoding="utf-8")
    found = re.search(r'```dockerfile title="src/StockData/Dockerfile"\n(.*?)```', text, re.S)
    assert found, "the chapter no longer shows src/StockData/Dockerfile"
    return found.group(1)


def write_feed(folder: Path, base: str) -> None:
    """A service index, a page list and one page of advisories, as nuget.org lays them out."""
    folder.mkdir()
    resource = {"@id": f"{base}/vulnerabilities.json", "@type": "VulnerabilityInfo/6.7.0"}
    index = {"version": "3.0.0", "resources": [resource]}
    pages = [{"@name": "base", "@id": f"{base}/base.json", "@updated": "2026-11-01T00:00:00Z"}]
    advisory = {"severity": 2, "url": "https://advisories.invalid/1", "versions": "(, 99.0.0)"}
    (folder / "index.json").write_text(json.dumps(index))
    (folder / "vulnerabilities.json").write_text(json.dumps(pages))
    (folder / "base.json").write_text(json.dumps({FLAGGED: [advisory]}))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def audit_source(tmp_path: Path) -> Iterator[str]:
    """The local audit source's index URL, served on loopback while the test runs."""
    handler = functools.partial(QuietHandler, directory=str(tmp_path / "feed"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    write_feed(tmp_path / "feed", base)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"{base}/index.json"
    server.shutdown()
    server.server_close()


def solution_with_audit_source(tmp_path: Path, index: str, *, defused: bool) -> Path:
    """A copy of the sample with a NuGet.config naming the audit source, and the Dockerfile."""
    copy = tmp_path / ("defused" if defused else "old")
    shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns("bin", "obj", "TestResults"))
    props = copy / "Directory.Build.props"
    text = props.read_text(encoding="utf-8")
    assert DEFUSED in text
    if not defused:
        props.write_text(text.replace(DEFUSED, "$(WarningsNotAsErrors)"), encoding="utf-8")
    (copy / "NuGet.config").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <auditSources>\n'
        f'    <clear />\n    <add key="local-advisories" value="{index}"'
        ' allowInsecureConnections="true" />\n  </auditSources>\n</configuration>\n',
        encoding="utf-8",
    )
    dockerfile = chapter_dockerfile().replace(
        "COPY Directory.Build.props .\n", "COPY Directory.Build.props NuGet.config ./\n"
    )
    (copy / "src" / "StockData" / "Dockerfile").write_text(dockerfile, encoding="utf-8")
    (copy / ".dockerignore").write_text("**/bin/\n**/obj/\n", encoding="utf-8")
    return copy


def build(context: Path, tag: str) -> subprocess.CompletedProcess[str]:
    """`docker build` on the host network, so that the restore reaches the loopback source."""
    return subprocess.run(
        [*BUILD, "-f", "src/StockData/Dockerfile", "-t", tag, "."],
        cwd=context,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )


def image_ids() -> set[str]:
    listed = subprocess.run(
        ["docker", "images", "-a", "-q", "--no-trunc"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return set(listed.stdout.split())


@pytest.fixture
def tag() -> Iterator[str]:
    """A name of our own for the image; it and every layer the build made (the build stage's
    too, and those of a build that failed half-way) removed afterwards, whatever happened.
    The engine's tests run one at a time, so an image that was not there before is ours."""
    name = f"stockkube-audit-test:{uuid.uuid4().hex[:12]}"
    before = image_ids()
    yield name
    subprocess.run(["docker", "image", "rm", name], capture_output=True, check=False, timeout=120)
    made = image_ids() - before
    created = {
        image: subprocess.run(
            ["docker", "image", "inspect", "--format", "{{.Created}}", image],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        ).stdout
        for image in made
    }
    for image in sorted(made, key=created.__getitem__, reverse=True):  # children first
        subprocess.run(
            ["docker", "image", "rm", "--no-prune", image],
            capture_output=True,
            check=False,
            timeout=120,
        )
    assert image_ids() - before == set(), "the test's build left images behind"


def test_an_advisory_warns_but_the_image_still_builds(tmp_path: Path, audit_source: str, tag: str):
    built = build(solution_with_audit_source(tmp_path, audit_source, defused=True), tag)
    output = built.stdout + built.stderr
    assert built.returncode == 0, output
    assert "warning NU1903: Package 'Grpc.AspNetCore.Server'" in output, output


def test_the_same_advisory_broke_the_build_before(tmp_path: Path, audit_source: str, tag: str):
    built = build(solution_with_audit_source(tmp_path, audit_source, defused=False), tag)
    output = built.stdout + built.stderr
    assert built.returncode != 0, output
    assert "error NU1903: Warning As Error: Package 'Grpc.AspNetCore.Server'" in output, output
