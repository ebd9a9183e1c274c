"""`runner verify` of a plain page loads what it uses and asks nothing it does not need.

Structure, not timing: a fresh interpreter verifies a one-command page twice (the second run is
the common case, with the runner's cache folder warm), against a fake engine that counts its
connections and a fake `docker` first on PATH that logs every call. What a start-up must not
pay for: the Docker proxy and HTTP (the page never calls Docker), the second Markdown parser,
PyYAML once mkdocs.yml was read, markdown-it once the page's tokens were kept, the client probes
once they were asked, `-j`, shards' statistics, the alignment of a failed step's output, the
model classes of features the page does not use (model/features.py), `datetime`, hashlib
(OpenSSL), the regular expressions only a failure or a directive needs, and every other
sub-command.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.fake_engine import fake_engine

PAGE = "# One\n\n```console\n$ echo hello\nhello\n```\n"
CONFIG = "site_name: lazy\nplugins:\n  - runner:\n      timeout: 30\n"
FAKE_DOCKER = """#!/bin/sh
echo "$*" >>"{log}"
case "$1" in
  --version) echo "Docker version 28.2.2, build fake" ;;
  *) exit 1 ;;
esac
"""
VERIFY = """
import json, sys
from guiderunner.cli.main import main
code = main(["verify", "--no-cache", "page.md"])
import guiderunner.parse, guiderunner.report.text
compiled = [f.cache_info().currsize for f in LAZY]
with open(sys.argv[1], "w") as out:
    json.dump({"code": code, "modules": sorted(sys.modules), "compiled": compiled}, out)
""".replace(
    "LAZY",
    "(guiderunner.parse._when, guiderunner.report.text._explains, "
    "guiderunner.report.text._home_signs)",
)
"""A passing plain page compiles none of these patterns (each is built on first use)."""
NEVER = (
    "guiderunner.run.docker.owned",
    "guiderunner.run.docker.proxy",
    "guiderunner.run.docker.api",
    "guiderunner.run.docker.claims",
    "http.client",
    "concurrent.futures",
    "guiderunner.run.side_by_side",
    "guiderunner.match.align",
    "guiderunner.match.hunks",
    "guiderunner.model.features",
    "guiderunner.run.docker.fingerprint",
    "hashlib",
    "pickle",
    "statistics",
    "platform",
    "mdit_py_plugins.deflist",
    "mdit_py_plugins.front_matter",
    "guiderunner.cli.publish",
    "guiderunner.cli.step",
    "guiderunner.cli.i18n",
    "guiderunner.cli.toolchain",
    "guiderunner.i18n",
    "guiderunner.site",
    "guiderunner.presenter",
    "guiderunner.rewrite",
    "mkdocs",
)
"""Modules (and their submodules) a plain page's `verify` never imports."""


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[tuple[str, list[bytes]]]:
    """DOCKER_HOST of a fake engine that answers `200 OK` and keeps each request."""
    path = tmp_path / "engine.sock"
    with fake_engine(path) as heard:
        yield f"unix://{path}", heard


def verify(folder: Path, env: dict[str, str]) -> tuple[int, set[str]]:
    """One `runner verify` in a fresh interpreter: its status and every module it loaded."""
    report = folder / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", VERIFY, str(report)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    loaded = json.loads(report.read_text(encoding="utf-8"))
    assert loaded["compiled"] == [0, 0, 0]  # no failure, no runner comment: none compiled
    return loaded["code"], set(loaded["modules"])


def loaded_of(modules: set[str], root: str) -> list[str]:
    return sorted(m for m in modules if m == root or m.startswith(f"{root}."))


def test_a_plain_page_loads_and_asks_only_what_it_uses(tmp_path, engine):
    host, heard = engine
    (tmp_path / "page.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    fake = tmp_path / "bin"
    fake.mkdir()
    log = tmp_path / "docker-calls.log"
    (fake / "docker").write_text(FAKE_DOCKER.format(log=log), encoding="utf-8")
    (fake / "docker").chmod(0o755)
    env = {
        "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path / "home"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "DOCKER_HOST": host,
        "PYTHONPATH": str(ROOT),
        "LANG": "C.UTF-8",
    }
    (tmp_path / "home").mkdir()
    first_code, first = verify(tmp_path, env)
    asked_first, heard_first = log.read_text(encoding="utf-8"), len(heard)
    second_code, second = verify(tmp_path, env)
    assert (first_code, second_code) == (0, 0)
    for modules in (first, second):
        assert [m for root in NEVER for m in loaded_of(modules, root)] == []
        assert "guiderunner.run.docker.on_demand" in modules  # its Docker is watched
    assert "markdown_it" in first  # the page is read, by the one Markdown reader...
    for unchanged in ("markdown_it", "mdit_py_plugins", "mdurl"):  # its tokens kept, so...
        assert loaded_of(second, unchanged) == []  # ...no Markdown parser while it is unchanged
    assert loaded_of(second, "datetime") == []  # PyYAML's: the cache stamps passes without it
    assert "yaml" in first
    assert loaded_of(second, "yaml") == []  # mkdocs.yml unchanged: not parsed again
    assert "--version" in asked_first  # the clients were asked once...
    assert log.read_text(encoding="utf-8") == asked_first  # ...and not on the second start
    # The second start asks the engine its ping and nothing else: no proxy, no removal.
    assert [line.split(b" ")[:2] for line in heard[heard_first:]] == [[b"GET", b"/_ping"]]


def test_the_fingerprint_of_a_page_without_docker_is_the_one_fingerprint_gives():
    from guiderunner.cli.verify import NO_DOCKER
    from guiderunner.run.docker.fingerprint import Fingerprint

    assert Fingerprint().as_json() == {**NO_DOCKER, "images": []}
