"""The Docker clients' answers kept between runs: asked again whenever what they depend on moves."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from guiderunner.run.docker import builder, probe_memo
from guiderunner.run.docker.builder import BuilderLayer, docker_clients
from tests.unit.run.test_builder import fake_docker, page_env


@pytest.fixture(autouse=True)
def _fresh_probes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each `docker_clients` call stands for a new runner process: nothing kept in memory."""
    monkeypatch.setattr(builder, "_PROBED", {})


@pytest.fixture
def machine(tmp_path: Path) -> dict[str, Path]:
    return {
        "new": fake_docker(tmp_path / "usr-local-bin", "28.2.2").parent,
        "old": fake_docker(tmp_path / "usr-bin", "20.10.24+dfsg1").parent,
        "workspace": tmp_path / "scratch" / "workspace",
        "home": tmp_path / "home",
        "memo": tmp_path / "cache" / "docker-clients.json",
    }


def asked(machine: dict[str, Path]) -> int:
    log = machine["new"].parent / "calls.log"
    return log.read_text(encoding="utf-8").count("--version") if log.exists() else 0


def again(machine: dict[str, Path], env: dict[str, str]) -> list[tuple[str | None, bool]]:
    builder._PROBED.clear()  # a new process
    return [(c.version, c.buildx) for c in docker_clients(env, machine["memo"])]


def test_a_second_run_asks_no_client(machine):
    env = page_env(machine, machine["new"], machine["old"])
    first = again(machine, env)
    assert asked(machine) == 2
    assert again(machine, env) == first == [("28.2.2", False), ("20.10.24+dfsg1", False)]
    assert asked(machine) == 2


def test_a_new_scratch_home_each_page_still_hits(machine, tmp_path):
    env = page_env(machine, machine["new"])
    again(machine, env)
    again(machine, {**env, "HOME": str(tmp_path / "another-home")})
    assert asked(machine) == 1


def test_a_changed_binary_is_asked_again(machine):
    env = page_env(machine, machine["new"])
    again(machine, env)
    fake_docker(machine["new"], "29.0.0", buildx=True)
    os.utime(machine["new"] / "docker", ns=(1, 1))
    assert again(machine, env) == [("29.0.0", True)]


def test_a_buildx_plugin_installed_later_is_seen(machine):
    env = page_env(machine, machine["new"])
    assert again(machine, env) == [("28.2.2", False)]
    plugins = machine["home"] / ".docker" / "cli-plugins"
    plugins.mkdir(parents=True)
    (plugins / "docker-buildx").write_text("#!/bin/sh\n", encoding="utf-8")
    (plugins / "docker-buildx").chmod(0o755)
    assert again(machine, env) == [("28.2.2", True)]


def test_an_old_answer_is_asked_again(machine, monkeypatch):
    env = page_env(machine, machine["new"])
    again(machine, env)
    kept = json.loads(machine["memo"].read_text(encoding="utf-8"))
    stale = {key: [v[0], v[1], v[2] - probe_memo.PROBE_TTL - 1] for key, v in kept.items()}
    machine["memo"].write_text(json.dumps(stale), encoding="utf-8")
    again(machine, env)
    assert asked(machine) == 2


@pytest.mark.parametrize("text", ["", "not json", "[1, 2]", '{"k": [1]}', '{"k": "x"}'])
def test_a_broken_memo_is_asked_around(machine, text):
    machine["memo"].parent.mkdir(parents=True)
    machine["memo"].write_text(text, encoding="utf-8")
    env = page_env(machine, machine["new"])
    assert again(machine, env) == [("28.2.2", False)]
    assert json.loads(machine["memo"].read_text(encoding="utf-8"))  # rewritten whole


def test_an_unwritable_cache_only_costs_time(machine, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    env = page_env(machine, machine["new"], machine["old"])
    layer = BuilderLayer("buildkit", blocker / "docker-clients.json")
    added = layer(machine["workspace"], env)
    assert added["DOCKER_BUILDKIT"] == "1"
    assert list(blocker.parent.glob(".probe-*")) == []
