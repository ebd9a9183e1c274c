"""Which engine calls make objects, and what to write in the record before and after each one.

Two shapes of call: a *create* (container, network, volume) whose small JSON body gets the
session label and whose answer names the new object; and a *tag move* (build, tag, pull,
commit), a streaming call whose tags are read from the query string, recorded with their
previous image before the call and with the image they name after it. Calls that name their
images only in the answer (load, import, pull -a) are made_images'. Before a call takes a
name or a fixed host port, the run claims it (claims.py): a run of the same page at once
waits for it instead of sharing it.
"""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import parse_qs, quote, urlsplit

from guiderunner.run.docker.api import Engine, normal_ref
from guiderunner.run.docker.claims import Claims
from guiderunner.run.docker.made_images import BuildWatch, UnnamedWatch, unnamed_kind
from guiderunner.run.docker.record import LABEL, RecordWriter
from guiderunner.run.docker.scope import VERSIONED, scoped

IMAGE_TAG = re.compile(r"^/images/(.+)/tag$")
IMAGE_PUSH = re.compile(r"^/images/(.+)/push$")
CREATED = (http.client.OK, http.client.CREATED)


class Watch(Protocol):
    """What the proxy does around one engine call that may make objects."""

    needs_body: bool
    """True: the proxy hands the JSON request body and the whole answer to the hooks."""

    def before(self, body: object) -> object:
        """Called before the request goes to the engine; returns the body to send instead."""

    def after(self, status: int, answer: object) -> None:
        """Called once the engine's answer is complete.

        `answer` is the decoded JSON when `needs_body`, else the list of the JSON objects in
        the first MiB of the (streamed) answer.
        """


@dataclass(slots=True)
class Recorder:
    """Turns requests into watches that write what the page makes into the record."""

    engine: Engine
    writer: RecordWriter
    label: bool = True
    """Put the session label on created containers, networks and volumes."""
    claims: Claims | None = None
    """Where the run claims the names and host ports it takes (None: it claims nothing)."""

    def watch(self, method: str, target: str) -> Watch | None:
        """The watch for this request, or None for a call that makes nothing."""
        if method != "POST":
            return None
        url = urlsplit(target)
        path = VERSIONED.sub(r"\1", url.path)
        query = parse_qs(url.query)
        if path in ("/containers/create", "/networks/create", "/volumes/create"):
            return CreateWatch(self, path.split("/")[1].removesuffix("s"), _one(query, "name"))
        if kind := unnamed_kind(path, query):
            return UnnamedWatch(self, kind, self._claimed(_moved_refs(path, query)))
        if (push := IMAGE_PUSH.match(path)) and (ref := normal_ref(push[1], _one(query, "tag"))):
            return PushWatch(self, ref)
        refs = _moved_refs(path, query)
        if path == "/build":
            return BuildWatch(self, TagWatch(self, self._claimed(refs)))
        return TagWatch(self, self._claimed(refs)) if refs else None

    def claim(self, keys: list[str]) -> None:
        """Claim names and ports before the call takes them (waits; Refused when it cannot)."""
        if self.claims is not None and keys:
            self.claims.claim(keys)

    def _claimed(self, refs: tuple[str, ...]) -> tuple[str, ...]:
        self.claim([f"image tag {ref}" for ref in refs])
        return refs

    def add(self, kind: str, name: str) -> None:
        """Record one object the page made."""
        self.writer.add({"kind": kind, "name": name})

    def scope(self, method: str, target: str) -> str:
        """The target narrowed to the page's own objects (scope.py); Refused when it cannot be."""
        return scoped(method, target, self.writer.session)


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
    """One query parameter's first value ('' when absent)."""
    return query.get(key, [""])[0]


@dataclass(slots=True)
class CreateWatch:
    """POST /containers|networks|volumes/create: label the object, record what the engine made."""

    recorder: Recorder
    kind: str
    name: str = ""
    """The `name` query parameter (a container's name)."""
    needs_body: bool = True
    _volumes_before: set[str] = field(default_factory=set)
    _skip: bool = False

    def before(self, body: object) -> object:
        """Label the body; note which named volumes a container create finds already there."""
        if not isinstance(body, dict):
            return body
        self.recorder.claim(_claimed_names(self.kind, self.name, body))
        if self.kind == "volume" and body.get("Name"):
            # Creating an existing volume answers with that volume: it stays the owner's.
            self._skip = self.recorder.engine.volume_exists(str(body["Name"]))
        if self.kind == "container":
            named = _named_volumes(body)
            self._volumes_before = {v for v in named if self.recorder.engine.volume_exists(v)}
            for volume in sorted(named - self._volumes_before):
                self._make_volume(volume)
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
        if self.kind == "volume":
            labelled = self.recorder.label
            self._add_volume(answer[key], None if labelled else answer.get("CreatedAt"))
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
                reply = self.recorder.engine.call("GET", f"/volumes/{quote(name, safe='')}")
                data = reply.data if isinstance(reply.data, dict) else {}
                self._add_volume(name, data.get("CreatedAt"))

    def _make_volume(self, name: str) -> None:
        """Make a named volume a new container would make, labelled as the page's own.

        The engine would make it unlabelled, and its creation time has only whole seconds: a
        namesake made by someone else in the same second after the page removed it would pass
        for the page's. Made here, it carries the session label, and only it does.
        """
        labels: dict[str, object] = {LABEL: self.recorder.writer.session}
        reply = self.recorder.engine.call(
            "POST", "/volumes/create", body={"Name": name, "Labels": labels}
        )
        if reply.status in CREATED and isinstance(reply.data, dict):
            self._volumes_before.add(name)
            self._add_volume(name, None)  # labelled: known by its label

    def _add_volume(self, name: str, created: object) -> None:
        """A volume, with its creation time: the one the page made, not a later namesake.

        A volume the proxy labelled is recorded without one (`created` None): it is known by its
        label alone, since creation times have whole seconds and a namesake made in the same
        second would pass for the page's.
        """
        entry = {"kind": "volume", "name": name}
        self.recorder.writer.add(entry | ({"created": created} if isinstance(created, str) else {}))


def _claimed_names(kind: str, name: str, body: dict[str, object]) -> list[str]:
    """The names and fixed host ports a create takes, as claim keys.

    >>> _claimed_names("container", "web", {"HostConfig": {"PortBindings": {
    ...     "80/tcp": [{"HostIp": "", "HostPort": "8080"}, {"HostPort": ""}]}, "Binds": ["d:/x"]}})
    ['container name web', 'host port 8080/tcp', 'volume d']
    """
    if kind != "container":
        named = body.get("Name")
        return [f"{kind} {'name ' if kind == 'network' else ''}{named}"] if named else []
    keys = [f"container name {name.lstrip('/')}"] if name else []
    host = body.get("HostConfig")
    bindings = host.get("PortBindings") if isinstance(host, dict) else None
    for port, binds in (bindings or {}).items() if isinstance(bindings, dict) else ():
        for bind in binds or []:
            if isinstance(bind, dict) and bind.get("HostPort"):
                keys.append(f"host port {bind['HostPort']}/{str(port).partition('/')[2] or 'tcp'}")
    return keys + [f"volume {volume}" for volume in sorted(_named_volumes(body))]


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
