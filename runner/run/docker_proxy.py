"""A forwarding socket for one page's docker clients, to record what the page creates.

The page's shell gets DOCKER_HOST=unix://<this socket>; each client connection is forwarded to
the real engine. The proxy reads only the request head: every call but an upgrade is sent on with
`Connection: close`, so one connection carries one request and everything after the head can be
copied raw (streamed build contexts, logs, events) without parsing HTTP framing. Upgraded
connections (attach and exec of `docker run -ti`, BuildKit's /session and /grpc) go through
untouched, byte for byte, both directions, each closed for writing when its sender is done.
Create calls (docker_watch) are the exception: their small bodies and answers are read whole.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from runner.run.docker_api import Engine, EngineError
from runner.run.docker_watch import Recorder, Watch

MAX_HEAD = 64 * 1024  # the engine's own limit on request heads is 1 MiB; docker sends < 1 KiB
CHUNK = 256 * 1024
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection"})
FRAMING = frozenset({"content-length", "transfer-encoding"})
BAD_GATEWAY = (
    b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: application/json\r\nConnection: close\r\n"
    b'Content-Length: 52\r\n\r\n{"message":"runner proxy: the engine is unreachable"}'
)


@dataclass(frozen=True, slots=True)
class Head:
    """An HTTP message head: start line and header lines, as sent."""

    start: str
    """`POST /v1.41/containers/create HTTP/1.1`, or the status line of an answer."""
    fields: tuple[tuple[str, str], ...]
    """Header names and values, in order."""

    @classmethod
    def parse(cls, raw: bytes) -> Head:
        """Split a head (without its blank line) into start line and fields."""
        start, *lines = raw.decode("latin-1").split("\r\n")
        fields = tuple((n.strip(), v.strip()) for n, _, v in (ln.partition(":") for ln in lines))
        return cls(start, fields)

    def get(self, name: str) -> str:
        """The value of a header ('' when absent), fields of the same name joined by commas."""
        return ", ".join(v for n, v in self.fields if n.lower() == name.lower())

    @property
    def upgrade(self) -> bool:
        """Whether the client asks to take the connection over (attach, exec, h2c)."""
        return "upgrade" in self.get("connection").lower()

    def closing(self, length: int | None = None) -> bytes:
        """This head with `Connection: close` (and a new Content-Length when given)."""
        drop = HOP_BY_HOP if length is None else HOP_BY_HOP | FRAMING
        keep = [(n, v) for n, v in self.fields if n.lower() not in drop]
        keep.append(("Connection", "close"))
        if length is not None:
            keep.append(("Content-Length", str(length)))
        return "\r\n".join([self.start, *(f"{n}: {v}" for n, v in keep), "", ""]).encode("latin-1")


class DockerProxy:
    """Listens on a Unix socket and forwards each connection to the engine, watching creates."""

    def __init__(self, path: Path, engine: Engine, recorder: Recorder | None) -> None:
        self.path = path
        self.engine = engine
        self.recorder = recorder
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._live: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    @property
    def address(self) -> str:
        """The value for DOCKER_HOST."""
        return f"unix://{self.path}"

    def start(self) -> None:
        """Bind the socket (only this user may connect) and accept in a background thread."""
        self._listener.bind(str(self.path))
        self.path.chmod(0o600)
        self._listener.listen(128)
        self._spawn(self._accept_loop)

    def stop(self) -> None:
        """Stop accepting, cut every live connection, wait for the threads, remove the socket."""
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self._listener.close()
        with self._lock:
            for sock in self._live:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout=5)
        self.path.unlink(missing_ok=True)

    def _spawn(self, target: Callable[..., object], *args: object) -> threading.Thread:
        thread = threading.Thread(target=target, args=args, daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()
        return thread

    def _accept_loop(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self._spawn(self._serve, client)

    def _serve(self, client: socket.socket) -> None:
        """Forward one client connection; never raises (it runs in its own thread)."""
        upstream: socket.socket | None = None
        self._track(client)
        try:
            received = _read_head(client)
            if received is None:
                return
            raw, rest = received
            try:
                upstream = self.engine.connect()
            except OSError:
                client.sendall(BAD_GATEWAY)
                return
            self._track(upstream)
            self._forward(client, upstream, Head.parse(raw), raw, rest)
        except OSError:
            pass
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    self._untrack(sock)
                    sock.close()

    def _forward(
        self, client: socket.socket, upstream: socket.socket, head: Head, raw: bytes, rest: bytes
    ) -> None:
        if head.upgrade:
            upstream.sendall(raw + b"\r\n\r\n" + rest)
            self._pipe(client, upstream, upgraded=True)
            return
        method, target, version = [*head.start.split(" "), "", ""][:3]
        if self.recorder is None:
            watch = None
        else:
            scoped = self.recorder.scope(method, target)
            head = Head(f"{method} {scoped} {version}", head.fields)
            watch = self.recorder.watch(method, scoped)
        if watch is not None and watch.needs_body:
            self._exchange_whole(client, upstream, head, rest, watch)
            return
        if watch is not None:
            _guarded(watch.before, None)
        upstream.sendall(head.closing() + rest)
        then = None if watch is None else (lambda: watch.after(0, None))
        self._pipe(client, upstream, upgraded=False, then=then)

    def _exchange_whole(
        self, client: socket.socket, upstream: socket.socket, head: Head, rest: bytes, watch: Watch
    ) -> None:
        """A create call: label its JSON body, read the answer whole, record, then answer."""
        body = _read_body(client, head, rest)
        try:
            data = json.loads(body) if body.strip() else None
        except ValueError:
            data = None
        if data is not None:
            body = json.dumps(_guarded(watch.before, data, default=data)).encode()
        upstream.sendall(head.closing(len(body)) + body)
        answer = _read_all(upstream)
        status, decoded = _decode_answer(answer)
        _guarded(watch.after, status, decoded)  # recorded before the client learns the id
        client.sendall(answer)

    def _pipe(
        self,
        client: socket.socket,
        upstream: socket.socket,
        *,
        upgraded: bool,
        then: Callable[[], None] | None = None,
    ) -> None:
        """Copy both ways until both sides are done (upgraded), or until the answer ended.

        For a plain call, `then` runs once the engine's answer is over but before the client
        sees the end of the connection; then the connection is cut both ways.
        """
        helper = self._spawn(_pump, client, upstream)
        _pump(upstream, client, half_close=upgraded)
        if not upgraded:
            if then is not None:
                _guarded(then)
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_RDWR)  # the answer is complete: stop reading
        helper.join()

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._live.add(sock)

    def _untrack(self, sock: socket.socket) -> None:
        with self._lock:
            self._live.discard(sock)


def _guarded(hook: Callable[..., object], *args: object, default: object = None) -> object:
    """Call a watch hook; an engine error there must not break the page's docker call."""
    try:
        return hook(*args)
    except (EngineError, OSError, KeyError, TypeError, ValueError):
        return default


def _pump(src: socket.socket, dst: socket.socket, *, half_close: bool = True) -> None:
    """Copy src to dst until src's end, then (if asked) close dst for writing: a half-close."""
    with contextlib.suppress(OSError):
        while data := src.recv(CHUNK):
            dst.sendall(data)
    if half_close:
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)


def _read_head(sock: socket.socket) -> tuple[bytes, bytes] | None:
    """The head (without the blank line) and what came after it; None at EOF or if too long."""
    data = b""
    while (end := data.find(b"\r\n\r\n")) < 0:
        if len(data) > MAX_HEAD or not (more := sock.recv(CHUNK)):
            return None
        data += more
    return data[:end], data[end + 4 :]


def _read_body(sock: socket.socket, head: Head, rest: bytes) -> bytes:
    """The whole request body: by Content-Length, chunked, or none."""
    if "chunked" in head.get("transfer-encoding").lower():
        while not _chunked_complete(rest):
            if not (more := sock.recv(CHUNK)):
                break
            rest += more
        return _dechunk(rest)
    length = int(head.get("content-length") or 0)
    while len(rest) < length and (more := sock.recv(CHUNK)):
        rest += more
    return rest[:length]


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while data := sock.recv(CHUNK):
        chunks.append(data)
    return b"".join(chunks)


def _decode_answer(answer: bytes) -> tuple[int, object]:
    """Status code and JSON body of a complete answer (0, None when unreadable)."""
    raw, _, body = answer.partition(b"\r\n\r\n")
    head = Head.parse(raw)
    try:
        status = int(head.start.split(" ")[1])
        if "chunked" in head.get("transfer-encoding").lower():
            body = _dechunk(body)
        return status, json.loads(body)
    except (IndexError, ValueError):
        return 0, None


def _chunked_complete(data: bytes) -> bool:
    """Whether a chunked body has reached its last (zero-length) chunk and trailer."""
    return data.startswith(b"0\r\n\r\n") or b"\r\n0\r\n\r\n" in data


def _dechunk(data: bytes) -> bytes:
    r"""Join the chunks of a chunked body.

    >>> _dechunk(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
    b'abcde'
    """
    out: list[bytes] = []
    pos = 0
    while True:
        line_end = data.find(b"\r\n", pos)
        if line_end < 0:
            return b"".join(out)
        size = int(data[pos:line_end].split(b";")[0] or b"0", 16)
        if size == 0:
            return b"".join(out)
        out.append(data[line_end + 2 : line_end + 2 + size])
        pos = line_end + 2 + size + 2
