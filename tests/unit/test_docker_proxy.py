"""The forwarding socket against a fake engine: framing, passthrough, labels, the record.

The fake engine is a real Unix socket served by a thread; what is checked is what crosses the
sockets (bytes, heads, bodies) and what the record file says, not the engine's behaviour (that
is tests/e2e/test_docker_ownership.py, with the real engine and clients).
"""

from __future__ import annotations

import doctest
import json
import os
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

from guiderunner.run.docker import api as docker_api
from guiderunner.run.docker import http as docker_http
from guiderunner.run.docker import made_images
from guiderunner.run.docker import scope as docker_scope
from guiderunner.run.docker import watch as docker_watch
from guiderunner.run.docker.api import Engine
from guiderunner.run.docker.made_images import BuildWatch, UnnamedWatch
from guiderunner.run.docker.owned import DockerOwnership, Removal
from guiderunner.run.docker.proxy import DockerProxy
from guiderunner.run.docker.record import LABEL, RecordWriter, TagChange, read_record
from guiderunner.run.docker.watch import Recorder

pytestmark = pytest.mark.timeout(30)


@dataclass
class Seen:
    head: str
    body: bytes


@dataclass
class FakeEngine:
    """Answers each request with `answer(method, target)`: bytes, or None to upgrade and echo."""

    path: Path
    answer: Callable[[str, str], bytes | None]
    seen: list[Seen] = field(default_factory=list)
    hold: threading.Event | None = None
    """When set: after an answer, keep the connection open until the event (as dockerd can)."""

    def serve(self) -> None:
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(self.path))
        listener.listen(16)
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            text = head.decode()
            length = next(
                (
                    int(ln.split(":")[1])
                    for ln in text.split("\r\n")
                    if ln.lower().startswith("content-length")
                ),
                0,
            )
            while len(body) < length:
                body += conn.recv(65536)
            self.seen.append(Seen(text, body))
            method, target, _ = text.split("\r\n")[0].split(" ")
            reply = self.answer(method, target)
            if reply is not None:
                conn.sendall(reply)
                if self.hold is not None and not target.endswith("/json"):
                    self.hold.wait(20)
                return
            conn.sendall(b"HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
            conn.sendall(body)  # bytes that came with the head
            while chunk := conn.recv(65536):
                conn.sendall(chunk)
            conn.sendall(b"BYE")  # only after the client's half-close came through


def json_reply(status: int, data: object) -> bytes:
    body = json.dumps(data).encode()
    return (
        f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Callable[[Callable[[str, str], bytes | None]], FakeEngine]]:
    proxies: list[DockerProxy] = []

    def start(answer: Callable[[str, str], bytes | None]) -> FakeEngine:
        fake = FakeEngine(tmp_path / "engine.sock", answer)
        fake.serve()
        engine = Engine(f"unix://{fake.path}")
        writer = RecordWriter(tmp_path / "record.jsonl", engine.host, "s1")
        writer.start()
        proxy = DockerProxy(tmp_path / "proxy.sock", engine, Recorder(engine, writer))
        proxy.start()
        proxies.append(proxy)
        return fake

    yield start
    for proxy in proxies:
        proxy.stop()


def exchange(tmp_path: Path, request: bytes, *, half_close: bool = True) -> bytes:
    """Send a request through the proxy and read everything until the proxy closes."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(20)
        client.connect(str(tmp_path / "proxy.sock"))

        def send() -> None:
            client.sendall(request)
            if half_close:
                client.shutdown(socket.SHUT_WR)

        sender = threading.Thread(target=send)
        sender.start()
        received = []
        while data := client.recv(65536):
            received.append(data)
        sender.join()
        return b"".join(received)


def test_a_plain_call_goes_through_with_connection_close(setup, tmp_path: Path) -> None:
    answer = json_reply(200, [{"Id": "c1"}])
    fake = setup(lambda method, target: answer)
    request = (
        b"GET /v1.41/containers/json?all=1 HTTP/1.1\r\n"
        b"Host: docker\r\nConnection: keep-alive\r\nUser-Agent: t\r\n\r\n"
    )
    assert exchange(tmp_path, request, half_close=False) == answer
    head = fake.seen[0].head.split("\r\n")
    assert head == [
        "GET /v1.41/containers/json?all=1 HTTP/1.1",
        "Host: docker",
        "User-Agent: t",
        "Connection: close",
    ]


def test_a_streamed_body_passes_byte_for_byte(setup, tmp_path: Path) -> None:
    fake = setup(lambda method, target: json_reply(200, {}))
    body = os.urandom(3 * 1024 * 1024)
    request = (
        b"PUT /containers/c1/archive?path=/ HTTP/1.1\r\nHost: docker\r\nContent-Length: %d\r\n\r\n"
        % len(body)
    )
    assert exchange(tmp_path, request + body, half_close=False) == json_reply(200, {})
    assert fake.seen[0].body == body


def test_an_upgraded_connection_passes_untouched_with_half_close(setup, tmp_path: Path) -> None:
    fake = setup(lambda method, target: None)
    head = (
        b"POST /v1.41/containers/c1/attach?stream=1&stdin=1 HTTP/1.1\r\nHost: docker\r\n"
        b"Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
    )
    stream = os.urandom(2 * 1024 * 1024)
    received = exchange(tmp_path, head + stream)
    upgraded = b"HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
    assert received == upgraded + stream + b"BYE"
    assert fake.seen[0].head.encode() + b"\r\n\r\n" == head


def test_a_container_create_is_labelled_and_recorded_before_the_answer(
    setup, tmp_path: Path
) -> None:
    def answer(method: str, target: str) -> bytes:
        if target.startswith("/v1.41/containers/create"):
            return json_reply(201, {"Id": "abc", "Warnings": []})
        if target == "/containers/abc/json":
            mounts = [{"Type": "volume", "Name": "anon"}, {"Type": "bind", "Source": "/x"}]
            return json_reply(200, {"Mounts": mounts})
        return json_reply(404, {"message": "no such volume"})

    fake = setup(answer)
    body = json.dumps({"Image": "i", "Labels": {"a": "b"}, "HostConfig": {"Binds": ["data:/d"]}})
    request = (
        f"POST /v1.41/containers/create?name=x HTTP/1.1\r\nHost: docker\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n{body}"
    ).encode()
    assert exchange(tmp_path, request, half_close=False) == json_reply(
        201, {"Id": "abc", "Warnings": []}
    )
    create = next(seen for seen in fake.seen if "containers/create" in seen.head)
    assert json.loads(create.body)["Labels"] == {"a": "b", LABEL: "s1"}
    assert f"Content-Length: {len(create.body)}" in create.head
    recorded = read_record(tmp_path / "record.jsonl")
    assert recorded is not None
    assert (recorded.containers, recorded.volumes) == (("abc",), ("anon",))


def test_a_build_records_each_tag_before_and_after(setup, tmp_path: Path) -> None:
    images = {"docker.io/library/app:latest": "sha256:old"}

    def answer(method: str, target: str) -> bytes:
        if target.startswith("/v1.41/build"):
            images.update(
                {"docker.io/library/app:latest": "sha256:new", "reg:5000/app:2": "sha256:b"}
            )
            return b'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{"stream":"done"}'
        ref = target.removeprefix("/images/").removesuffix("/json")
        return json_reply(200, {"Id": images[ref]}) if ref in images else json_reply(404, {})

    fake = setup(answer)
    request = (
        b"POST /v1.41/build?t=app&t=reg%3A5000%2Fapp%3A2&version=2 HTTP/1.1\r\nHost: d\r\n\r\n"
    )
    assert exchange(tmp_path, request).endswith(b'{"stream":"done"}')
    recorded = read_record(tmp_path / "record.jsonl")
    assert recorded is not None
    assert recorded.tags == (
        TagChange("docker.io/library/app:latest", "sha256:old", "sha256:new"),
        TagChange("reg:5000/app:2", None, "sha256:b"),
    )
    build = next(seen for seen in fake.seen if "/build" in seen.head)
    assert "forcerm=1" in build.head.split("\r\n")[0]


def test_a_prune_reaches_only_the_sessions_objects(setup, tmp_path: Path) -> None:
    fake = setup(lambda method, target: json_reply(200, {}))
    exchange(tmp_path, b"POST /v1.41/containers/prune HTTP/1.1\r\nHost: d\r\n\r\n")
    target = fake.seen[0].head.split(" ")[1]
    filters = json.dumps({"label": {f"{LABEL}=s1": True}})
    assert target == "/v1.41/containers/prune?" + urlencode({"filters": filters})


def test_an_unreachable_engine_gets_a_clear_answer(tmp_path: Path) -> None:
    engine = Engine(f"unix://{tmp_path / 'nothing.sock'}")
    proxy = DockerProxy(tmp_path / "proxy.sock", engine, None)
    proxy.start()
    try:
        answer = exchange(tmp_path, b"GET /_ping HTTP/1.1\r\nHost: d\r\n\r\n")
    finally:
        proxy.stop()
    assert answer.startswith(b"HTTP/1.1 502 ")
    assert answer.endswith(b'the engine is unreachable"}')
    assert not (tmp_path / "proxy.sock").exists()


@pytest.mark.parametrize(
    ("target", "refs"),
    [
        ("/v1.41/images/abc/tag?repo=localhost%3A5000%2Fapp&tag=1", ("localhost:5000/app:1",)),
        ("/images/create?fromImage=registry%3A2&tag=", ("docker.io/library/registry:2",)),
        ("/images/create?fromImage=app&tag=3", ("docker.io/library/app:3",)),
        ("/commit?container=c&repo=snap", ("docker.io/library/snap:latest",)),
        ("/commit?container=c", ()),
        (
            "/build?t=a&t=docker.io%2Flibrary%2Fa%3Alatest&t=b%40sha256%3A00",
            ("docker.io/library/a:latest",),
        ),
        ("/containers/c1/start", ()),
    ],
)
def test_the_tags_a_call_may_move(target: str, refs: tuple[str, ...], tmp_path: Path) -> None:
    recorder = Recorder(Engine("unix:///nowhere"), RecordWriter(tmp_path / "r", "", "s1"))
    watch = recorder.watch("POST", target)
    if isinstance(watch, UnnamedWatch):  # a commit: its image may be untagged, read in its answer
        assert watch.named == refs
    elif isinstance(watch, BuildWatch):  # a build: its tags, and the untagged images it names
        assert isinstance(watch.tags, docker_watch.TagWatch)
        assert watch.tags.refs == refs
    else:
        assert (watch.refs if isinstance(watch, docker_watch.TagWatch) else ()) == refs


def test_a_torn_last_line_and_repeats_are_read_sensibly(tmp_path: Path) -> None:
    path = tmp_path / "record.jsonl"
    writer = RecordWriter(path, "unix:///e.sock", "s9")
    writer.start()
    writer.add({"kind": "container", "name": "c1"})
    writer.add({"kind": "tag", "name": "a:1", "previous": "sha256:u"})
    writer.add({"kind": "tagged", "name": "a:1", "image": "sha256:p1"})
    writer.add({"kind": "tag", "name": "a:1", "previous": "sha256:p1"})
    writer.add({"kind": "container", "name": "c1"})
    with path.open("a") as record:
        record.write('{"kind": "network", "na')
    recorded = read_record(path)
    assert recorded is not None
    assert (recorded.engine, recorded.session, recorded.pid) == (
        "unix:///e.sock",
        "s9",
        os.getpid(),
    )
    assert recorded.containers == ("c1",)
    assert recorded.networks == ()
    assert recorded.tags == (TagChange("a:1", "sha256:u", "sha256:p1"),)


def test_a_file_that_is_not_a_record_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "other").write_text('{"kind": "container", "name": "c1"}\n')
    assert read_record(tmp_path / "other") is None
    assert read_record(tmp_path / "missing") is None


@pytest.mark.parametrize(
    "module", [docker_api, docker_http, docker_watch, docker_scope, made_images]
)
def test_doctests(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]


def test_a_socket_path_too_long_for_bind_moves_to_a_short_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeEngine(tmp_path / "engine.sock", lambda method, target: json_reply(200, []))
    fake.serve()
    monkeypatch.setenv("DOCKER_HOST", f"unix://{fake.path}")
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    with DockerOwnership(deep, tmp_path / "record.jsonl") as owned:
        socket_path = Path(owned.environment()["DOCKER_HOST"].removeprefix("unix://"))
        assert len(str(socket_path)) <= 100
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(str(socket_path))
    assert not socket_path.parent.exists()
    assert owned.removal == Removal()
    assert not (tmp_path / "record.jsonl").exists()


def test_a_watched_answer_is_recorded_when_its_framing_ends_not_at_the_close(
    setup, tmp_path: Path
) -> None:
    images: dict[str, str] = {}

    def answer(method: str, target: str) -> bytes:
        if "/tag?" in target:
            images["docker.io/library/app:1"] = "sha256:new"
            return b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"
        ref = target.removeprefix("/images/").removesuffix("/json")
        return json_reply(200, {"Id": images[ref]}) if ref in images else json_reply(404, {})

    fake = setup(answer)
    fake.hold = threading.Event()
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(20)
            client.connect(str(tmp_path / "proxy.sock"))
            client.sendall(b"POST /v1.41/images/x/tag?repo=app&tag=1 HTTP/1.1\r\nHost: d\r\n\r\n")
            received = b""
            while not received.endswith(b"\r\n\r\n"):
                received += client.recv(65536)
            recorded = read_record(tmp_path / "record.jsonl")  # the engine has not closed yet
    finally:
        fake.hold.set()
    assert received.startswith(b"HTTP/1.1 201 Created")
    assert recorded is not None
    assert recorded.tags == (TagChange("docker.io/library/app:1", None, "sha256:new"),)


@pytest.mark.parametrize("step", [1, 3, 1000])
def test_the_end_of_a_chunked_answer_is_found_however_it_is_cut(step: int) -> None:
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in [b"0\r\n\r\n" * 3, b"x" * 300])
    answer = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n"
    end = docker_http.AnswerEnd()
    cuts = [answer[i : i + step] for i in range(0, len(answer), step)]
    ended = [end.feed(cut) for cut in cuts]
    assert ended.index(True) == next(
        i for i, c in enumerate(cuts) if (i + 1) * step >= len(answer) - 2
    )
