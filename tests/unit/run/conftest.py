"""A fake Docker engine and client for the run stage's tests: nothing reaches a real engine."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def fake_engine(tmp_path: Path) -> Iterator[str]:
    """DOCKER_HOST of a socket that answers every request with `200 OK`, as /_ping does."""
    path = tmp_path / "engine.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen()
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.recv(1024)
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"unix://{path}"
    stop.set()
    thread.join(5)
    server.close()


def install_fake_docker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, logged: str, rest_of_path: str, last: str = ""
) -> Path:
    """A `docker` first on PATH that appends `logged` (sh, quoted) to a log; returns the log.

    `rest_of_path` follows it on PATH; `last` is the script's last line (its exit, say).
    """
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    log = tmp_path / "docker.log"
    script = folder / "docker"
    script.write_text(f'#!/bin/sh\necho "{logged}" >> {log}\n{last}')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:{rest_of_path}")
    return log


@pytest.fixture
def fake_docker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `docker` first on PATH that logs its arguments and prints nothing; returns the log."""
    return install_fake_docker(tmp_path, monkeypatch, "$*", f"{Path('/usr/bin')}:{Path('/bin')}")
