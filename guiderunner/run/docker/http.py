"""The little HTTP/1.1 the Docker proxy reads: message heads, request bodies, whole answers.

Only heads are parsed on the way through; bodies are read whole only for the small JSON calls
that create objects (see docker_watch). Everything else is copied raw by the proxy.
"""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass

MAX_HEAD = 64 * 1024  # the engine's own limit on request heads is 1 MiB; docker sends < 1 KiB
CHUNK = 256 * 1024
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection"})
FRAMING = frozenset({"content-length", "transfer-encoding"})


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


def read_head(sock: socket.socket) -> tuple[bytes, bytes] | None:
    """The head (without the blank line) and what came after it; None at EOF or if too long."""
    data = b""
    while (end := data.find(b"\r\n\r\n")) < 0:
        if len(data) > MAX_HEAD or not (more := sock.recv(CHUNK)):
            return None
        data += more
    return data[:end], data[end + 4 :]


def read_body(sock: socket.socket, head: Head, rest: bytes) -> bytes:
    """The whole request body: by Content-Length, chunked, or none."""
    if "chunked" in head.get("transfer-encoding").lower():
        while not _chunked_complete(rest):
            if not (more := sock.recv(CHUNK)):
                break
            rest += more
        return dechunk(rest)
    length = int(head.get("content-length") or 0)
    while len(rest) < length and (more := sock.recv(CHUNK)):
        rest += more
    return rest[:length]


def read_all(sock: socket.socket) -> bytes:
    """Everything until the peer closes: an answer to a request sent with Connection: close."""
    chunks = []
    while data := sock.recv(CHUNK):
        chunks.append(data)
    return b"".join(chunks)


def decode_answer(answer: bytes) -> tuple[int, object]:
    """Status code and JSON body of a complete answer (0, None when unreadable)."""
    raw, _, body = answer.partition(b"\r\n\r\n")
    head = Head.parse(raw)
    try:
        status = int(head.start.split(" ")[1])
        if "chunked" in head.get("transfer-encoding").lower():
            body = dechunk(body)
        return status, json.loads(body)
    except (IndexError, ValueError):
        return 0, None


def _chunked_complete(data: bytes) -> bool:
    """Whether a chunked body has reached its last (zero-length) chunk and trailer."""
    return data.startswith(b"0\r\n\r\n") or b"\r\n0\r\n\r\n" in data


def dechunk(data: bytes) -> bytes:
    r"""Join the chunks of a chunked body.

    >>> dechunk(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
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


class AnswerEnd:
    r"""Follows an answer's bytes as they pass and tells when its framing says it is complete.

    >>> end = AnswerEnd()
    >>> end.feed(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab")
    False
    >>> end.feed(b"c\r\n0\r\n\r\n")
    True
    >>> AnswerEnd().feed(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
    True
    """

    def __init__(self) -> None:
        self._head = b""
        self._body: bytes | None = None  # None until the head is complete
        self._chunked = False
        self._length: int | None = None  # Content-Length, else None: the answer ends at close
        self._left = 0  # bytes still to skip in the current chunk, with its CRLF

    def feed(self, data: bytes) -> bool:
        """Take the next bytes; True once the whole answer has gone by.

        Framing it cannot read makes it wait for the close (False until then).
        """
        try:
            return self._feed(data)
        except ValueError:
            self._chunked, self._length = False, None
            return False

    def _feed(self, data: bytes) -> bool:
        if self._body is None:
            self._head += data
            if (cut := self._head.find(b"\r\n\r\n")) < 0:
                return False
            head = Head.parse(self._head[:cut])
            data, self._body = self._head[cut + 4 :], b""
            status = int([*head.start.split(" "), "0", "0"][1])
            if status in (204, 304) or 100 <= status < 200:
                return True
            self._chunked = "chunked" in head.get("transfer-encoding").lower()
            length = head.get("content-length")
            self._length = int(length) if length and not self._chunked else None
        if self._chunked:
            return self._chunks(data)
        if self._length is None:
            return False
        self._length -= len(data)
        return self._length <= 0

    def _chunks(self, data: bytes) -> bool:
        """Skip chunk data by the sizes; True at the last (zero-size) chunk."""
        self._body = (self._body or b"") + data
        while True:
            if self._left:
                skipped = min(self._left, len(self._body))
                self._body, self._left = self._body[skipped:], self._left - skipped
                if self._left:
                    return False
            line_end = self._body.find(b"\r\n")
            if line_end < 0:
                return False
            size = int(self._body[:line_end].split(b";")[0] or b"0", 16)
            self._body = self._body[line_end + 2 :]
            if size == 0:
                return True
            self._left = size + 2


def stream_items(answer: bytes) -> tuple[int, list[dict[str, object]]]:
    r"""Status and the JSON objects of a streamed answer (one per line, as the engine sends).

    >>> stream_items(b'HTTP/1.1 200 OK\r\n\r\n{"stream":"Loaded image: a:1\\n"}\r\n{"x":1}\n')
    (200, [{'stream': 'Loaded image: a:1\n'}, {'x': 1}])
    """
    raw, _, body = answer.partition(b"\r\n\r\n")
    head = Head.parse(raw)
    try:
        status = int(head.start.split(" ")[1])
    except (IndexError, ValueError):
        return 0, []
    if "chunked" in head.get("transfer-encoding").lower():
        body = dechunk(body)
    items = []
    decoder = json.JSONDecoder()
    text, pos = body.decode("utf-8", "replace"), 0
    while pos < len(text):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        try:
            item, pos = decoder.raw_decode(text, pos) if pos < len(text) else (None, pos)
        except ValueError:
            break
        if isinstance(item, dict):
            items.append(item)
    return status, items
