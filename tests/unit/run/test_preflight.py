"""The machine check before a page runs: commands on PATH, and an engine that answers its ping."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from guiderunner.errors import MissingPiece
from guiderunner.run.box.preflight import check_machine, engine_answers


def test_an_engine_that_answers_its_ping_is_there(fake_engine):
    assert engine_answers(fake_engine, {})


def test_no_socket_means_no_engine(tmp_path):
    assert not engine_answers(f"unix://{tmp_path}/none.sock", {})


def test_a_socket_that_answers_something_else_is_no_engine(tmp_path):
    path = tmp_path / "other.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen()

    def answer() -> None:
        connection, _ = server.accept()
        with connection:
            connection.recv(1024)
            connection.sendall(b"HTTP/1.1 500 Internal Server Error\r\n\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        assert not engine_answers(f"unix://{path}", {})
    finally:
        thread.join(5)
        server.close()


def test_a_page_without_docker_does_not_ask_for_an_engine(tmp_path):
    check_machine({"PATH": "/usr/bin:/bin", "DOCKER_HOST": f"unix://{tmp_path}/x"}, docker=False)


def test_missing_commands_are_named(tmp_path: Path):
    with pytest.raises(MissingPiece, match=r"^no bash on PATH"):
        check_machine({"PATH": str(tmp_path)}, docker=False)
