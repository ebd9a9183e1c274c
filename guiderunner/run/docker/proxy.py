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
import http.client
import json
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from guiderunner.run.docker.api import Engine, EngineError
from guiderunner.run.docker.claims import Refused
from guiderunner.run.docker.http import (
    CHUNK,
    AnswerEnd,
    Head,
    decode_answer,
    read_all,
    read_body,
    read_head,
    stream_items,
)
from guiderunner.run.docker.watch import Recorder, Watch

KEPT_ANSWER = 1 << 20  # bytes of a watched streamed answer kept for its watch (load, import)

BAD_GATEWAY = (
    b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: application/json\r\nConnection: close\r\n"
    b'Content-Length: 52\r\n\r\n{"message":"runner proxy: the engine is unreachable"}'
)


class DockerProxy:
    """Listens on a Unix socket and forwards each connection to the engine, watching creates."""

    def __init__(
        self,
        path: Path,
        engine: Engine,
        recorder: Recorder | None,
        listener: socket.socket | None = None,
    ) -> None:
        """`listener`: a socket already bound to `path` and listening (run.docker.on_demand)."""
        self.path = path
        self.engine = engine
        self.recorder = recorder
        self._bound = listener is not None
        self._listener = listener or socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._live: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    @property
    def address(self) -> str:
        """The value for DOCKER_HOST."""
        return f"unix://{self.path}"

    def start(self) -> None:
        """Bind the socket (only this user may connect) and accept in a background thread."""
        if not self._bound:
            self._listener.bind(str(self.path))
            self.path.chmod(0o600)
            self._listener.listen(128)
        self._spawn(self._accept_loop)

    def adopt(self, client: socket.socket) -> None:
        """Serve a connection accepted before the proxy started (run.docker.on_demand)."""
        self._spawn(self._serve, client)

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
            received = read_head(client)
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
        except (OSError, ValueError):  # a peer gone, or a malformed head: drop the connection
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
        try:
            self._watched(client, upstream, head, rest)
        except Refused as refusal:
            client.sendall(refused(refusal.status, str(refusal)))

    def _watched(
        self, client: socket.socket, upstream: socket.socket, head: Head, rest: bytes
    ) -> None:
        """Scope the call, let its watch see it before and after (a Refused answers it)."""
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
        then = None if watch is None else watch.after
        self._pipe(client, upstream, upgraded=False, then=then)

    def _exchange_whole(
        self, client: socket.socket, upstream: socket.socket, head: Head, rest: bytes, watch: Watch
    ) -> None:
        """A create call: label its JSON body, read the answer whole, record, then answer."""
        body = read_body(client, head, rest)
        try:
            data = json.loads(body) if body.strip() else None
        except ValueError:
            data = None
        if data is not None:
            body = json.dumps(_guarded(watch.before, data, default=data)).encode()
        upstream.sendall(head.closing(len(body)) + body)
        answer = read_all(upstream)
        status, decoded = decode_answer(answer)
        _guarded(watch.after, status, decoded)  # recorded before the client learns the id
        client.sendall(answer)

    def _pipe(
        self,
        client: socket.socket,
        upstream: socket.socket,
        *,
        upgraded: bool,
        then: Callable[[int, object], None] | None = None,
    ) -> None:
        """Copy both ways until both sides are done (upgraded), or until the answer ended.

        For a plain call, `then` runs once the engine's answer is over but before the client
        has its last bytes (so the record is written before the client can go on); then the
        connection is cut both ways.
        """
        helper = self._spawn(_pump, client, upstream)
        if then is None:
            _pump(upstream, client, half_close=upgraded)
        else:
            _pump_then(upstream, client, then)
        if not upgraded:
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


def _pump_then(src: socket.socket, dst: socket.socket, then: Callable[[int, object], None]) -> None:
    """Copy an answer from src to dst; run `then` when it is complete, before its last bytes.

    The client knows the answer is over from its framing (the last chunk, Content-Length),
    and the engine may close the connection well after that (tens of milliseconds after a
    BuildKit build): so `then` is run on the framing, neither earlier, when the client could
    go on before the record is written, nor later, at the close, which would keep it waiting.
    `then` gets the status and the answer's first KEPT_ANSWER bytes (a load names its tags).
    """
    end = AnswerEnd()
    done = False
    kept = bytearray()
    with contextlib.suppress(OSError):
        while data := src.recv(CHUNK):
            if len(kept) < KEPT_ANSWER:
                kept += data[: KEPT_ANSWER - len(kept)]
            if not done and end.feed(data):
                done = True
                _guarded(then, *stream_items(bytes(kept)))
            dst.sendall(data)
    if not done:
        _guarded(then, *stream_items(bytes(kept)))  # ends at the close, or a cut connection


def refused(status: int, message: str) -> bytes:
    """An HTTP error answer of the proxy's own, which the docker client prints."""
    body = json.dumps({"message": message}).encode()
    reason = http.client.responses.get(status, "Error")
    head = f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
    head += f"Connection: close\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


def _pump(src: socket.socket, dst: socket.socket, *, half_close: bool = True) -> None:
    """Copy src to dst until src's end, then (if asked) close dst for writing: a half-close."""
    with contextlib.suppress(OSError):
        while data := src.recv(CHUNK):
            dst.sendall(data)
    if half_close:
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)
