"""DOCKER_HOST is honoured: preflight, the record `runner reset` reads, the toolchain's status.

A fake `docker` on PATH logs which engine each call was for, so nothing reaches a real one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guiderunner.run.box.preflight import engine_answers
from guiderunner.toolchain import engine
from guiderunner.toolchain.errors import ToolchainError
from guiderunner.toolchain.settings import Settings
from tests.unit.run.conftest import install_fake_docker


@pytest.fixture
def fake_docker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `docker` that logs `<DOCKER_HOST>|<args>` and exits with $FAKE_DOCKER_STATUS (0)."""
    logged, last = "${DOCKER_HOST-unset}|$*", 'exit "${FAKE_DOCKER_STATUS:-0}"\n'
    return install_fake_docker(tmp_path, monkeypatch, logged, os.environ["PATH"], last)


def test_a_pages_docker_record_names_the_engine_it_ran_against(tmp_path, monkeypatch):
    # `runner reset`, run later from any shell, removes the objects on that engine.
    from guiderunner.run.docker.owned import DockerOwnership
    from guiderunner.run.docker.record import read_record

    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/other-engine.sock")
    record_path = tmp_path / "docker.jsonl"
    with DockerOwnership(tmp_path, record_path):
        recorded = read_record(record_path)
    assert recorded is not None
    assert recorded.engine == f"unix://{tmp_path}/other-engine.sock"


def test_a_tls_engine_is_asked_through_the_client(tmp_path, fake_docker):
    # Nothing listens on the port: a raw ping would say no; the client (with its certs) says yes.
    env = {"PATH": os.environ["PATH"], "DOCKER_TLS_VERIFY": "1", "DOCKER_HOST": "tcp://127.0.0.1:9"}
    assert engine_answers("tcp://127.0.0.1:9", env)
    assert "tcp://127.0.0.1:9|version --format {{.Server.Version}}" in fake_docker.read_text()


def test_the_toolchain_never_starts_or_claims_an_engine_named_by_docker_host(
    tmp_path, monkeypatch, fake_docker
):
    monkeypatch.setenv("DOCKER_HOST", "tcp://10.0.0.7:2375")
    monkeypatch.setenv("FAKE_DOCKER_STATUS", "1")
    settings = Settings.from_env({"RUNNER_TOOLCHAIN_CACHE": str(tmp_path / "cache")})
    assert engine.describe(settings) == "engine: not answering at tcp://10.0.0.7:2375 (DOCKER_HOST)"
    with pytest.raises(ToolchainError, match="no Docker engine answers at DOCKER_HOST=tcp://"):
        engine.ensure(settings)
    assert "dockerd" not in fake_docker.read_text()
    monkeypatch.setenv("DOCKER_HOST", engine.SOCKET)
    assert engine.remote_host() is None
