"""Before a page runs: does the machine have what it needs? If not, one MissingPiece line (exit 3).

A page must not fail at its first docker step because no engine answers: that is a broken
machine, not a broken guide, and CI must say so.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Mapping
from urllib.parse import urlsplit

from guiderunner.errors import MissingPiece, missing_command

DEFAULT_HOST = "unix:///var/run/docker.sock"
PING = b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"
TIMEOUT = 5.0
START_ENGINE = "start one with `runner toolchain up`"


def check_machine(env: Mapping[str, str], *, docker: bool) -> None:
    """Raise MissingPiece when bash or setsid (or, for a Docker page, an engine) is missing."""
    path = env.get("PATH", os.defpath)
    for command in ("bash", "setsid"):
        if shutil.which(command, path=path) is None:
            raise missing_command(command)
    if docker:
        check_engine(env)


def check_engine(env: Mapping[str, str]) -> None:
    """Raise MissingPiece unless a docker client is on PATH and its engine answers."""
    if shutil.which("docker", path=env.get("PATH", os.defpath)) is None:
        raise MissingPiece("no docker command on PATH; install it with `runner toolchain up`")
    host = env.get("DOCKER_HOST") or DEFAULT_HOST
    if not engine_answers(host, env):
        raise MissingPiece(f"no Docker engine answers at {host}; {START_ENGINE}")


def engine_answers(host: str, env: Mapping[str, str]) -> bool:
    """Does the engine at `host` answer its ping? A socket's ping costs a millisecond.

    Hosts other than unix:// and plain tcp:// (ssh://, a context, TLS) are asked through the
    client, which knows their keys and certificates.
    """
    url = urlsplit(host)
    tls = any(env.get(name) for name in ("DOCKER_TLS_VERIFY", "DOCKER_TLS", "DOCKER_CERT_PATH"))
    if env.get("DOCKER_CONTEXT") or tls or url.scheme not in ("unix", "tcp"):
        return _client_answers(env)
    try:
        if url.scheme == "unix":
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(TIMEOUT)
                sock.connect(url.path)
                return _pinged(sock)
        with socket.create_connection((url.hostname or "", url.port or 2375), TIMEOUT) as sock:
            return _pinged(sock)
    except OSError:
        return False


def _pinged(sock: socket.socket) -> bool:
    sock.sendall(PING)
    return sock.recv(64).split(b"\r\n", 1)[0].endswith(b" 200 OK")


def _client_answers(env: Mapping[str, str]) -> bool:
    try:
        done = subprocess.run(
            ["docker", "version", "--format", "{{.Server.Version}}"],
            capture_output=True,
            env=dict(env),
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0
