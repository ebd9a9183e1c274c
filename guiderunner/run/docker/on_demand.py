"""A page's Docker ownership that starts on the page's first Docker call, not before.

Every page's Docker is watched when an engine answers (a `sh build.sh` may run containers as
well as a `docker run` can), but most pages that do not say `docker` never call it. For them
the socket the page's clients reach is made at once (so DOCKER_HOST and the box's mounts are
the same as ever), and the proxy behind it (guiderunner.run.docker.owned: the engine, the
record, the claims, about 25 ms of imports and set-up) starts when the first client connects,
and that client is served by it. A page that never connects leaves nothing to remove: no
record was written and nothing carries its session label, so leaving it asks the engine
nothing. Light on purpose: this module imports no HTTP, JSON or Docker code.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from guiderunner.closing import Closing
from guiderunner.errors import MissingPiece


class Started(Protocol):
    """The proxy once it took over (guiderunner.run.docker.owned.DockerOwnership)."""

    def close(self) -> object:
        """Stop it and remove what the page made."""


Starter = Callable[[Path, Path, socket.socket, socket.socket], Started]
"""(private folder, record, the listening socket, the first client) -> the started proxy."""

DEFAULT_HOST = "unix:///var/run/docker.sock"
"""The engine's socket when DOCKER_HOST is unset (run.docker.api imports it from here)."""
SOCKET_NAME = "docker.sock"
MAX_SOCKET_PATH = 100  # sun_path holds 108 bytes on Linux, 104 on macOS
REQUEST_WAIT = 2.0
"""Seconds a refused client has to send its request before the 502 goes out anyway."""
UNREACHABLE = (
    b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: application/json\r\nConnection: close\r\n"
    b'Content-Length: 52\r\n\r\n{"message":"runner proxy: the engine is unreachable"}'
)


def unforwardable(environ: Mapping[str, str], default_host: str) -> str | None:
    """Why the proxy cannot forward to the engine this environment names; None: it can.

    >>> unforwardable({"DOCKER_HOST": "ssh://me@box"}, "unix:///d.sock")
    'cannot forward to DOCKER_HOST=ssh://me@box (only unix:// and plain tcp://)'
    >>> unforwardable({}, "unix:///d.sock") is None
    True
    """
    host = environ.get("DOCKER_HOST") or default_host
    if environ.get("DOCKER_TLS_VERIFY") or not host.startswith(("unix://", "tcp://")):
        return f"cannot forward to DOCKER_HOST={host} (only unix:// and plain tcp://)"
    return None


def socket_place(directory: Path) -> tuple[Path, Path | None]:
    """Where the page's socket goes, and the short folder made for it when `directory` is deep.

    bind() refuses a path longer than sun_path, so a deep private folder is traded for a
    short one of its own, which whoever made it removes.
    """
    path = directory / SOCKET_NAME
    if len(str(path)) <= MAX_SOCKET_PATH:
        return path, None
    short = Path(tempfile.mkdtemp(prefix="runner-docker-"))
    return short / SOCKET_NAME, short


class OnDemandOwnership(Closing):
    """The page's socket now, its DockerOwnership at the first connection (a seams factory)."""

    def __init__(self, directory: Path, record_path: Path, start: Starter) -> None:
        """Prepare; the socket is made by `__enter__`.

        Args:
            directory: a private folder for the socket (as DockerOwnership's).
            record_path: where the proxy, once started, records what the page makes.
            start: starts the proxy on the socket and hands it the first client (passed in,
                so that this module never loads the proxy: run.docker.ownership gives it).
        """
        self._start = start
        self.directory = directory
        self.record_path = record_path
        self.socket_path, self._short_dir = socket_place(directory)
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._lock = threading.Lock()
        self._owned: Started | None = None
        self._closed = False
        self._waiter: threading.Thread | None = None

    def __enter__(self) -> OnDemandOwnership:
        """Make the socket; an engine the proxy could not forward to is exit 3, as it was."""
        refused = unforwardable(os.environ, DEFAULT_HOST)
        if refused is not None:
            raise MissingPiece(f"cannot own the page's Docker objects: {refused}")
        try:
            self._listener.bind(str(self.socket_path))
            self.socket_path.chmod(0o600)
            self._listener.listen(128)
            self._waiter = threading.Thread(target=self._wait_for_a_client, daemon=True)
            self._waiter.start()
        except BaseException:
            self.close()
            raise
        return self

    def environment(self) -> dict[str, str]:
        """The variables that send the page's docker clients to its socket."""
        return {"DOCKER_HOST": f"unix://{self.socket_path}"}

    @property
    def started(self) -> bool:
        """Whether a client connected and the proxy took over."""
        return self._owned is not None

    def _wait_for_a_client(self) -> None:
        """Block in accept(); the first client starts the proxy, which then accepts the rest."""
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed before any client came
            with self._lock:
                problem = "closed" if self._closed else self._take_over(client)
            if problem is None:
                return
            if problem == "closed":
                client.close()
                return
            print(f"runner: warning: the page's Docker proxy: {problem}", file=sys.stderr)
            _refuse(client)

    def _take_over(self, client: socket.socket) -> str | None:
        """Start the proxy and hand it the client; what went wrong, or None."""
        try:
            self._owned = self._start(self.directory, self.record_path, self._listener, client)
        except Exception as error:  # said to the client and on stderr
            return str(error) or type(error).__name__
        return None

    def close(self) -> None:
        """Leave: the proxy's own removal if it started; otherwise close the unused socket."""
        with self._lock:
            self._closed = True
            owned = self._owned
        try:
            if owned is not None:
                owned.close()
            else:
                with contextlib.suppress(OSError):
                    self._listener.shutdown(socket.SHUT_RDWR)  # wakes the waiting accept()
                self._listener.close()
                if self._waiter is not None:
                    self._waiter.join()
                self.socket_path.unlink(missing_ok=True)
        finally:
            if self._short_dir is not None:
                shutil.rmtree(self._short_dir, ignore_errors=True)


def _refuse(client: socket.socket) -> None:
    """Answer 502 once the client's request has come (closing first would break its pipe)."""
    with contextlib.suppress(OSError):
        client.settimeout(REQUEST_WAIT)
        client.recv(1 << 16)
        client.sendall(UNREACHABLE)
    client.close()
