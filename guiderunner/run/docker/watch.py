"""Which engine calls make objects, and what to write in the record before and after each one.

Two shapes of call: a *create* (container, network, volume) whose small JSON body gets the
session label and whose answer names the new object; and a *tag move* (build, tag, pull,
commit), a streaming call whose tags are read from the query string, recorded with their
previous image before the call and with the image they name after it.
"""

from __future__ import annotations

import http.client
import json
import re
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import parse_qs, quote, urlencode, urlsplit, urlunsplit

from guiderunner.run.docker.api import Engine, normal_ref
from guiderunner.run.docker.record import LABEL, RecordWriter

VERSIONED = re.compile(r"^/v[0-9.]+(/.*)$")
IMAGE_TAG = re.compile(r"^/images/(.+)/tag$")
IMAGE_PUSH = re.compile(r"^/images/(.+)/push$")
PRUNE = re.compile(r"^/(containers|networks|volumes|images)/prune$")
CREATED = (http.client.OK, http.client.CREATED)


class Watch(Protocol):
    """What the proxy does around one engine call that may make objects."""

    needs_body: bool
    """True: the proxy hands the JSON request body and the whole answer to the hooks."""

    def before(self, body: object) -> object:
        """Called before the request goes to the engine; returns the body to send instead."""

    def after(self, status: int, answer: object) -> None:
        """Called once the engine's answer is complete (decoded JSON when `needs_body`)."""


@dataclass(slots=True)
class Recorder:
    """Turns requests into watches that write what the page makes into the record."""

    engine: Engine
    writer: RecordWriter
    label: bool = True
    """Put the session label on created containers, networks and volumes."""

    def watch(self, method: str, target: str) -> Watch | None:
        """The watch for this request, or None for a call that makes nothing."""
        if method != "POST":
            return None
        url = urlsplit(target)
        path = VERSIONED.sub(r"\1", url.path)
        query = parse_qs(url.query)
        if path in ("/containers/create", "/networks/create", "/volumes/create"):
            return CreateWatch(self, path.split("/")[1].removesuffix("s"))
        if (push := IMAGE_PUSH.match(path)) and (ref := normal_ref(push[1], _one(query, "tag"))):
            return PushWatch(self, ref)
        refs = _moved_refs(path, query)
        return TagWatch(self, refs) if refs else None

    def add(self, kind: str, name: str) -> None:
        """Record one object the page made."""
        self.writer.add({"kind": kind, "name": name})

    def scope(self, method: str, target: str) -> str:
        """The request target, narrowed to the page's own objects where a call could reach others.

        A prune through the proxy gets the session label as an extra filter, so a page's
        `docker system prune` removes only what the page made. A legacy build gets `forcerm`:
        a failed step's intermediate container is made by the engine, not through the proxy,
        so it would otherwise stay behind unrecorded.
        """
        if method != "POST":
            return target
        url = urlsplit(target)
        path = VERSIONED.sub(r"\1", url.path)
        query = parse_qs(url.query, keep_blank_values=True)
        if PRUNE.match(path):
            query["filters"] = [_with_label(query.get("filters", [""])[0], self.writer.session)]
        elif path == "/build" and "forcerm" not in query:
            query["forcerm"] = ["1"]
        else:
            return target
        return urlunsplit(url._replace(query=urlencode(query, doseq=True)))


def _with_label(filters: str, session: str) -> str:
    """Docker's JSON filters with this session's label added (ANDed with any other label).

    >>> _with_label('{"until": {"24h": true}}', "s1")
    '{"until": {"24h": true}, "label": {"io.stockkube.runner.session=s1": true}}'
    >>> _with_label('{"label": ["a=b"]}', "s1")
    '{"label": ["a=b", "io.stockkube.runner.session=s1"]}'
    """
    try:
        parsed = json.loads(filters) if filters else {}
    except ValueError:
        parsed = {}
    data = parsed if isinstance(parsed, dict) else {}
    wanted = f"{LABEL}={session}"
    labels = data.get("label")
    if isinstance(labels, list):
        data["label"] = [*labels, wanted]
    else:
        data["label"] = {**(labels if isinstance(labels, dict) else {}), wanted: True}
    return json.dumps(data)


def _moved_refs(path: str, query: dict[str, list[str]]) -> tuple[str, ...]:
    """The tags a build, tag, pull or commit call may create or move."""

    def one(key: str) -> str:
        return _one(query, key)

    if path == "/build":
        refs = [normal_ref(t) for t in query.get("t", [])]
    elif IMAGE_TAG.match(path) or path == "/commit":
        refs = [normal_ref(one("repo"), one("tag"))] if one("repo") else []
    elif path == "/images/create":
        refs = [normal_ref(one("fromImage") or one("repo"), one("tag"))]
    else:
        refs = []
    return tuple(dict.fromkeys(ref for ref in refs if ref))


def _one(query: dict[str, list[str]], key: str) -> str:
    return query.get(key, [""])[0]


@dataclass(slots=True)
class CreateWatch:
    """POST /containers|networks|volumes/create: label the object, record what the engine made."""

    recorder: Recorder
    kind: str
    needs_body: bool = True
    _volumes_before: set[str] = field(default_factory=set)
    _skip: bool = False

    def before(self, body: object) -> object:
        """Label the body; note which named volumes a container create finds already there."""
        if not isinstance(body, dict):
            return body
        if self.kind == "volume" and body.get("Name"):
            # Creating an existing volume answers with that volume: it stays the owner's.
            self._skip = self.recorder.engine.volume_exists(str(body["Name"]))
        if self.kind == "container":
            named = _named_volumes(body)
            self._volumes_before = {v for v in named if self.recorder.engine.volume_exists(v)}
        if self.recorder.label and not self._skip:
            labels = body.get("Labels") or {}
            body["Labels"] = {**labels, LABEL: self.recorder.writer.session}
        return body

    def after(self, status: int, answer: object) -> None:
        """Record the new object, and the volumes a new container brought along."""
        if self._skip or status not in CREATED or not isinstance(answer, dict):
            return
        key = "Name" if self.kind == "volume" else "Id"
        if not isinstance(answer.get(key), str):
            return
        self.recorder.add(self.kind, answer[key])
        if self.kind == "container":
            self._record_new_volumes(answer[key])

    def _record_new_volumes(self, container: str) -> None:
        """Volumes the container's creation made: anonymous ones and new named ones."""
        reply = self.recorder.engine.call("GET", f"/containers/{quote(container)}/json")
        mounts = reply.data.get("Mounts") if isinstance(reply.data, dict) else None
        for mount in mounts or []:
            name = mount.get("Name") if mount.get("Type") == "volume" else None
            if isinstance(name, str) and name and name not in self._volumes_before:
                self.recorder.add("volume", name)


def _named_volumes(body: dict[str, object]) -> set[str]:
    """Volume names a container create body mentions (`-v name:/path`, `--mount source=name`)."""
    host = body.get("HostConfig")
    if not isinstance(host, dict):
        return set()
    names = set()
    for bind in host.get("Binds") or []:
        source = str(bind).split(":", 1)[0]
        if source and not source.startswith("/"):
            names.add(source)
    for mount in host.get("Mounts") or []:
        if isinstance(mount, dict) and mount.get("Type") == "volume" and mount.get("Source"):
            names.add(str(mount["Source"]))
    return names


@dataclass(slots=True)
class TagWatch:
    """Build, tag, pull, commit: record each tag's image before the call and after it."""

    recorder: Recorder
    refs: tuple[str, ...]
    needs_body: bool = False

    def before(self, body: object) -> object:
        """Record each tag's image before the call: enough to undo it after a kill."""
        for ref in self.refs:
            previous = self.recorder.engine.image_id(ref)
            self.recorder.writer.add({"kind": "tag", "name": ref, "previous": previous})
        return body

    def after(self, status: int, answer: object) -> None:
        """Record the image each tag names after the call (None when the call failed)."""
        for ref in self.refs:
            image = self.recorder.engine.image_id(ref)
            self.recorder.writer.add({"kind": "tagged", "name": ref, "image": image})


@dataclass(slots=True)
class PushWatch:
    """A push: record the reference and the digest the registry now holds for it.

    Nothing removes it here (a registry deletes by digest, which would take other tags of the
    same manifest along); the record says what the page pushed, for whoever empties the registry.
    """

    recorder: Recorder
    ref: str
    needs_body: bool = False

    def before(self, body: object) -> object:
        """Nothing to note before a push: the tag it sends already belongs to somebody."""
        return body

    def after(self, status: int, answer: object) -> None:
        """Record the pushed reference with its digest (from the image's RepoDigests)."""
        reply = self.recorder.engine.call("GET", f"/images/{quote(self.ref, safe='/:')}/json")
        digests = reply.data.get("RepoDigests") if isinstance(reply.data, dict) else None
        repo = self.ref.rpartition(":")[0]
        digest = next((d for d in digests or [] if str(d).startswith(repo + "@")), None)
        self.recorder.writer.add({"kind": "push", "name": self.ref, "digest": digest})
