"""Talk to the Docker engine over its HTTP API with the stdlib: the address and a few calls.

The runner needs only a handful of calls (inspect, remove, tag, list by label), so it speaks the
engine's HTTP API itself instead of starting a `docker` process per call (tens of milliseconds
each) or depending on the docker SDK.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from guiderunner.run.docker.on_demand import DEFAULT_HOST, unforwardable

TIMEOUT = 60.0  # seconds for one engine call; removing a running container waits for its stop


class EngineError(Exception):
    """The engine could not be reached or gave an unexpected answer."""


@dataclass(frozen=True, slots=True)
class Engine:
    """Where the real engine listens, as DOCKER_HOST spells it (unix:// or tcp://)."""

    host: str
    """The address, e.g. `unix:///var/run/docker.sock` or `tcp://127.0.0.1:2375`."""

    @classmethod
    def from_environment(cls) -> Engine:
        """The engine this process's own docker client would use (DOCKER_HOST, else the default).

        Raises:
            EngineError: DOCKER_HOST names a scheme the proxy cannot forward (ssh://, TLS).
        """
        host = os.environ.get("DOCKER_HOST") or DEFAULT_HOST
        refused = unforwardable(os.environ, DEFAULT_HOST)
        if refused is not None:
            raise EngineError(refused)
        return cls(host)

    def connect(self, timeout: float | None = None) -> socket.socket:
        """A new stream socket to the engine."""
        if self.host.startswith("unix://"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(self.host.removeprefix("unix://"))
            return sock
        name, _, port = self.host.removeprefix("tcp://").rstrip("/").rpartition(":")
        return socket.create_connection((name, int(port)), timeout=timeout)

    def call(
        self,
        method: str,
        path: str,
        query: dict[str, str] | None = None,
        body: dict[str, object] | None = None,
    ) -> Reply:
        """One request, with a JSON body or none; the engine's status and decoded JSON."""
        target = path + ("?" + urlencode(query) if query else "")
        headers = {"Host": "docker"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            conn = _Connection(self)
            try:
                conn.request(method, target, body=payload, headers=headers)
                answer = conn.getresponse()
                raw = answer.read()
            finally:
                conn.close()
        except (OSError, http.client.HTTPException) as error:
            raise EngineError(f"{method} {path}: {error}") from error
        try:
            data = json.loads(raw) if raw.strip() else None
        except ValueError:
            data = None
        return Reply(answer.status, data)

    def image_id(self, ref: str) -> str | None:
        """The id of the image that `ref` names now, or None when there is no such image."""
        reply = self.call("GET", f"/images/{quote(ref, safe='/:@')}/json")
        if reply.status == http.client.NOT_FOUND:
            return None
        if reply.status != http.client.OK or not isinstance(reply.data, dict):
            raise EngineError(f"inspect image {ref}: status {reply.status}")
        return str(reply.data["Id"])

    def volume_exists(self, name: str) -> bool:
        """Whether a volume of that name exists now."""
        return self.call("GET", f"/volumes/{quote(name, safe='')}").status == http.client.OK


@dataclass(frozen=True, slots=True)
class Reply:
    """The engine's answer to one call."""

    status: int
    """HTTP status code."""
    data: object
    """The decoded JSON body, or None when the body was empty or not JSON."""


class _Connection(http.client.HTTPConnection):
    """An HTTP connection over the engine's socket, whatever its kind."""

    def __init__(self, engine: Engine) -> None:
        super().__init__("docker", timeout=TIMEOUT)
        self._engine = engine

    def connect(self) -> None:
        self.sock = self._engine.connect(self.timeout)


def normal_ref(name: str, tag: str = "") -> str | None:
    """The engine's full `domain/path:tag` for a reference, or None for a digest reference.

    One spelling per tag, whatever the client sent: the docker CLI sends `docker tag`'s
    target fully qualified but a build's `-t` as typed, and both must land on one entry.

    >>> normal_ref("app")
    'docker.io/library/app:latest'
    >>> normal_ref("docker.io/app", "2"), normal_ref("index.docker.io/library/app:2")
    ('docker.io/library/app:2', 'docker.io/library/app:2')
    >>> normal_ref("myorg/app:1.0"), normal_ref("localhost:5000/app")
    ('docker.io/myorg/app:1.0', 'localhost:5000/app:latest')
    >>> normal_ref("app@sha256:00") is None
    True
    """
    if not name or "@" in name:
        return None
    if not tag and ":" in name.rsplit("/", 1)[-1]:
        name, _, tag = name.rpartition(":")
    first, slash, rest = name.partition("/")
    if not slash or ("." not in first and ":" not in first and first != "localhost"):
        first, rest = "docker.io", name
    elif first == "index.docker.io":
        first = "docker.io"
    if first == "docker.io" and "/" not in rest:
        rest = f"library/{rest}"
    return f"{first}/{rest}:{tag or 'latest'}"
