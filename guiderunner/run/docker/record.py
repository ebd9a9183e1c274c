"""The record of the Docker objects a page made: one JSON line per object, written as it is made.

The record outlives the runner: after a SIGKILL, `runner reset` reads it in a fresh process and
removes what it lists. Its format (one JSON object per line; a torn last line is skipped):

    {"format": "stockkube-docker-ownership/1", "engine": "unix:///var/run/docker.sock",
     "session": "3f2a…", "label": "io.stockkube.runner.session", "pid": 4242}
    {"kind": "container", "name": "<full id>"}
    {"kind": "network", "name": "<full id>"}
    {"kind": "volume", "name": "<volume name>", "created": "<its CreatedAt>"}
    {"kind": "image", "name": "sha256:…"}     (made without a tag: load, import, commit)
    {"kind": "tag", "name": "app:latest", "previous": "sha256:…" or null}
    {"kind": "tagged", "name": "app:latest", "image": "sha256:…"}
    {"kind": "push", "name": "127.0.0.1:5000/app:1", "digest": "127.0.0.1:5000/app@sha256:…"}

A `tag` line is written *before* the call that may move the tag (build, tag, pull, commit), with
the image the tag named then, so that a kill in the middle still leaves enough to undo it; the
`tagged` line, after the call, says which image the page left there, so that a tag somebody else
moved since is left alone. A volume has no id: it is removed only while it carries the
session's label or the `created` time recorded, so one re-created by someone else under the same
name stays. A `push` line (after the push) is information for whoever empties
the registry; removal leaves registries alone.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

FORMAT = "stockkube-docker-ownership/1"
LABEL = "io.stockkube.runner.session"


@dataclass(frozen=True, slots=True)
class TagChange:
    """A tag the page may have moved."""

    ref: str
    """The reference, `name:tag`."""
    previous: str | None
    """The image the tag named before the page touched it; None when it did not exist."""
    made: str | None
    """The image the page left under the tag; None when unknown (killed mid-call)."""


@dataclass(frozen=True, slots=True)
class Recorded:
    """Everything a record file says, read back."""

    engine: str
    """DOCKER_HOST of the engine the objects live on."""
    session: str
    """The session id, also the value of the label put on created objects."""
    pid: int
    """The process that wrote the record: `runner reset` leaves a record alone while it lives."""
    containers: tuple[str, ...] = ()
    """Container ids, in creation order."""
    networks: tuple[str, ...] = ()
    """Network ids."""
    volumes: tuple[str, ...] = ()
    """Volume names (named and anonymous)."""
    volume_created: tuple[tuple[str, str], ...] = ()
    """(volume name, CreatedAt) as recorded: the volume the page made, not a namesake."""
    images: tuple[str, ...] = ()
    """Ids of images the page made without a tag (load, import, commit), and still untagged."""
    tags: tuple[TagChange, ...] = ()
    """Tags moved, one per reference, with the state to restore."""
    pushes: tuple[tuple[str, str | None], ...] = ()
    """References pushed to a registry, with the pushed digest (`repo@sha256:…`) if known."""


@dataclass(slots=True)
class RecordWriter:
    """Appends lines to a record file, each written before the caller goes on.

    A line is handed to the kernel with one O_APPEND write() before the page's docker client
    gets its answer: that survives a SIGKILL of the runner, which is what `runner reset` is
    for. There is no fsync: it would only add survival of a power loss, at 1 to 30 ms a line
    on a busy disk (measured), and the session label still finds the containers, networks and
    volumes after a reboot.
    """

    path: Path
    engine: str
    session: str
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        """Create the record file with its header line."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        header = {
            "format": FORMAT,
            "engine": self.engine,
            "session": self.session,
            "label": LABEL,
            "pid": os.getpid(),
        }
        self.path.write_text("", encoding="utf-8")
        self.add(header)

    def add(self, entry: Mapping[str, object]) -> None:
        """Append one line in one write(): a kill right after must not lose it."""
        line = (json.dumps(entry, separators=(",", ":")) + "\n").encode()
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)


def read_record(path: Path) -> Recorded | None:
    """The record's content, or None when the file is missing or has no valid header."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    entries = [entry for entry in map(_parse, lines) if entry is not None]
    if not entries or entries[0].get("format") != FORMAT:
        return None
    head = entries[0]
    names: dict[str, list[str]] = {"container": [], "network": [], "volume": [], "image": []}
    created: dict[str, str] = {}
    previous: dict[str, str | None] = {}
    made: dict[str, str | None] = {}
    pushes: list[tuple[str, str | None]] = []
    for entry in entries[1:]:
        kind, name = entry.get("kind"), entry.get("name")
        if not isinstance(name, str):
            continue
        if kind in names and name not in names[str(kind)]:
            names[str(kind)].append(name)
        if kind == "volume" and isinstance(stamp := entry.get("created"), str):
            created[name] = stamp
        elif kind == "tag" and name not in previous:  # the first one holds the pre-page state
            previous[name] = _optional(entry.get("previous"))
        elif kind == "tagged":
            made[name] = _optional(entry.get("image"))
        elif kind == "push":
            pushes.append((name, _optional(entry.get("digest"))))
    tags = tuple(TagChange(ref, before, made.get(ref)) for ref, before in previous.items())
    return Recorded(
        engine=str(head.get("engine")),
        session=str(head.get("session")),
        pid=pid if isinstance(pid := head.get("pid"), int) else 0,
        containers=tuple(names["container"]),
        networks=tuple(names["network"]),
        volumes=tuple(names["volume"]),
        volume_created=tuple(created.items()),
        images=tuple(names["image"]),
        tags=tags,
        pushes=tuple(pushes),
    )


def _parse(line: str) -> dict[str, object] | None:
    try:
        entry = json.loads(line)
    except ValueError:
        return None  # the torn last line of a killed writer
    return entry if isinstance(entry, dict) else None


def _optional(value: object) -> str | None:
    return value if isinstance(value, str) else None
