"""Docker ownership started by a page's first Docker call: nothing asked of the engine before."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from guiderunner.errors import MissingPiece
from guiderunner.run.docker import owned as owned_module
from guiderunner.run.docker.ownership import OnDemandProxy as OnDemandOwnership
from tests.fake_engine import fake_engine


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """A fake engine on DOCKER_HOST that answers `200 OK` and keeps every request it got."""
    path = tmp_path / "engine.sock"
    with fake_engine(path) as heard:
        monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
        yield heard


def call(sock_path: Path, request: bytes = b"GET /_ping HTTP/1.1\r\nHost: d\r\n\r\n") -> bytes:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(10)
        client.connect(str(sock_path))
        client.sendall(request)
        answer = b""
        while chunk := client.recv(4096):
            answer += chunk
    return answer


def private(tmp_path: Path) -> Path:
    folder = tmp_path / "private"
    folder.mkdir()
    return folder


def test_a_page_that_never_calls_docker_asks_the_engine_nothing(tmp_path, engine):
    record = tmp_path / "docker.json"
    with OnDemandOwnership(private(tmp_path), record) as owned:
        sock = Path(owned.environment()["DOCKER_HOST"].removeprefix("unix://"))
        assert sock.is_socket()
        assert sock.stat().st_mode & 0o777 == 0o600
    assert not owned.started
    assert engine == []
    assert not sock.exists()
    assert not record.exists()


def test_the_first_call_starts_the_proxy_and_is_answered(tmp_path, engine):
    record = tmp_path / "docker.json"
    with OnDemandOwnership(private(tmp_path), record) as owned:
        sock = Path(owned.environment()["DOCKER_HOST"].removeprefix("unix://"))
        first = call(sock)
        second = call(sock)
        assert owned.started
        assert record.exists()  # `runner reset` finds it after a SIGKILL from here on
    assert first.endswith(b"OK")
    assert second.endswith(b"OK")
    assert sum(b"/_ping" in request for request in engine) == 2
    assert not sock.exists()


def test_an_engine_gone_before_the_first_call_is_said_to_each_client(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'no-engine.sock'}")
    with OnDemandOwnership(private(tmp_path), tmp_path / "docker.json") as owned:
        sock = Path(owned.environment()["DOCKER_HOST"].removeprefix("unix://"))
        for _ in range(2):  # the second client is not left hanging in the backlog
            answer = call(sock)
            assert b"502" in answer.split(b"\r\n", 1)[0]
            assert b"unreachable" in answer


def test_an_engine_the_proxy_cannot_forward_to_is_exit_3_at_once(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "ssh://me@elsewhere")
    folder = private(tmp_path)
    with (
        pytest.raises(MissingPiece, match="DOCKER_HOST=ssh://me@elsewhere"),
        OnDemandOwnership(folder, tmp_path / "docker.json"),
    ):
        pass
    assert list(folder.iterdir()) == []


def test_a_proxy_that_cannot_start_answers_every_client_and_says_why(
    tmp_path, engine, monkeypatch, capsys
):
    def broken(self, *args, **kwargs):
        raise OSError("no space left on device")

    monkeypatch.setattr(owned_module.DockerOwnership, "__enter__", broken)
    with OnDemandOwnership(private(tmp_path), tmp_path / "docker.json") as owned:
        sock = Path(owned.environment()["DOCKER_HOST"].removeprefix("unix://"))
        assert b"502" in call(sock)
        assert b"502" in call(sock)
        assert not owned.started
    assert capsys.readouterr().err.count("no space left on device") == 2
    assert engine == []


def test_a_deep_private_folder_gets_a_short_socket_removed_after(tmp_path, engine):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    with OnDemandOwnership(deep, tmp_path / "docker.json") as owned:
        sock = Path(owned.environment()["DOCKER_HOST"].removeprefix("unix://"))
        assert len(str(sock)) <= 100
        assert call(sock).endswith(b"OK")
    assert not sock.parent.exists()


def test_a_socket_that_cannot_be_made_leaves_nothing(tmp_path):
    missing = tmp_path / "not-there"
    with pytest.raises(FileNotFoundError), OnDemandOwnership(missing, tmp_path / "docker.json"):
        pass
    assert not missing.exists()
