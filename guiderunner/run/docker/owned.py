"""Exact ownership of a page's Docker objects: record them through a proxy, remove just those.

    with DockerOwnership(private_dir, record_path) as owned:
        shell_env.update(owned.environment())   # DOCKER_HOST=unix://<private_dir>/docker.sock
        ...                                     # the page runs
    owned.removal                                # what the exit removed, what it could not

and after a SIGKILL, in a fresh process: `remove_recorded(record_path)`.

Removal order: containers (forced, with their anonymous volumes), networks, volumes, then tags,
each tag deleted (`noprune`: layers that are not the page's stay) or, when the page moved a tag
that existed before it, put back on the image it named, then the images the page made and left
untagged (a build's new layers among them, children first).
Besides the record, objects carrying the session label are removed too: that covers a create
whose answer came after the runner died. A volume goes only while it is the one the page made
(its label or recorded creation time). What cannot be removed is named in a warning on stderr
and stays in the record, which `runner reset` retries. The names and ports the run claimed
(claims.py) are let go after the removal, so a run waiting for them finds them free.
"""

from __future__ import annotations

import http.client
import json
import secrets
import shutil
import socket
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from guiderunner.closing import Closing
from guiderunner.run.docker.api import Engine, EngineError
from guiderunner.run.docker.claims import Claims, claims_folder
from guiderunner.run.docker.made_images import listed_images
from guiderunner.run.docker.on_demand import socket_place
from guiderunner.run.docker.proxy import DockerProxy
from guiderunner.run.docker.record import LABEL, Recorded, RecordWriter, TagChange, read_record
from guiderunner.run.docker.watch import Recorder

GONE = (http.client.OK, http.client.NO_CONTENT, http.client.CREATED, http.client.NOT_FOUND)


@dataclass(frozen=True, slots=True)
class Removal:
    """What removing a page's objects did."""

    removed: tuple[str, ...] = ()
    """`kind name` of each object removed or tag restored."""
    failed: tuple[str, ...] = ()
    """`kind name: reason` of each object that could not be removed (the record is kept)."""


class DockerOwnership(Closing):
    """A page's Docker ownership: the proxy while the page runs, the removal when it ends."""

    def __init__(
        self,
        directory: Path,
        record_path: Path,
        *,
        label: bool = True,
        listener: socket.socket | None = None,
    ) -> None:
        """Prepare; nothing starts before `__enter__`.

        Args:
            directory: a private folder for the socket, *not* the page's working folder (a
                socket there would show in `ls` and in a `docker build .` context).
            record_path: where the record is written; a leftover record there is cleaned first.
            label: put the session label on created containers, networks and volumes.
            listener: the page's socket, already bound and listening (its maker removes it
                and its folder): run.docker.on_demand.
        """
        self._short_dir: Path | None = None
        if listener is not None:
            self.socket_path = Path(listener.getsockname())
        else:
            self.socket_path, self._short_dir = socket_place(directory)
        self._listener = listener
        self.record_path = record_path
        self.label = label
        self.removal = Removal()
        self._proxy: DockerProxy | None = None
        self._claims: Claims | None = None

    def __enter__(self) -> DockerOwnership:
        if self.record_path.exists():
            remove_recorded(self.record_path)  # a killed run's leftovers, before a clean start
        engine = Engine.from_environment()
        writer = RecordWriter(self.record_path, engine.host, secrets.token_hex(8))
        writer.start()
        self._claims = Claims(
            claims_folder(), engine.host, writer.session, str(self.record_path), remove_recorded
        )
        recorder = Recorder(engine, writer, self.label, self._claims)
        self._proxy = DockerProxy(self.socket_path, engine, recorder, self._listener)
        self._proxy.start()
        return self

    def adopt(self, client: socket.socket) -> None:
        """Serve a connection accepted before the proxy started (run.docker.on_demand)."""
        if self._proxy is None:
            raise RuntimeError("the proxy has not started")
        self._proxy.adopt(client)

    def environment(self) -> dict[str, str]:
        """The variables that send the page's docker clients through the proxy."""
        return {"DOCKER_HOST": f"unix://{self.socket_path}"}

    def close(self) -> Removal:
        """Stop the proxy (no create can slip in after) and remove what the page made."""
        if self._proxy is not None:
            if self._claims is not None:
                self._claims.stop()  # a call still waiting for a name gives up
            self._proxy.stop()
            self._proxy = None
            if self._short_dir is not None:
                shutil.rmtree(self._short_dir, ignore_errors=True)
            try:
                self.removal = remove_recorded(self.record_path)
            finally:
                if self._claims is not None:
                    self._claims.release()
            for problem in self.removal.failed:
                print(
                    f"runner: warning: could not remove {problem}; `runner reset` will retry",
                    file=sys.stderr,
                )
        return self.removal


def remove_recorded(record_path: Path) -> Removal:
    """Remove every object a record lists or its session labels; delete the record if all went.

    Safe to call again: objects already gone count as removed. Never raises for engine trouble:
    the failures are returned and the record stays for a later `runner reset`.
    """
    recorded = read_record(record_path)
    if recorded is None:
        record_path.unlink(missing_ok=True)
        return Removal()
    engine = Engine(recorded.engine)
    removed: list[str] = []
    failed: list[str] = []
    stamps = dict(recorded.volume_created)
    for kind, names in _objects(engine, recorded):
        if kind == "volume":
            names = tuple(n for n in names if _made_by(engine, n, recorded.session, stamps.get(n)))
        with ThreadPoolExecutor(max_workers=8) as pool:  # a forced stop takes a while each
            outcomes = list(pool.map(lambda name, k=kind: _remove(engine, k, name), names))
        for name, problem in zip(names, outcomes, strict=True):
            _tally(f"{kind} {name}", problem, removed, failed)
    for change in recorded.tags:
        done, problem = _restore_tag(engine, change)
        _tally(f"tag {change.ref}", problem if problem or done else None, removed, failed)
    for image in reversed(recorded.images):  # a build's layers: children before parents
        _tally(f"image {image}", _remove_image(engine, image), removed, failed)
    if not failed:
        record_path.unlink(missing_ok=True)
    return Removal(tuple(removed), tuple(failed))


def _tally(what: str, problem: str | None, removed: list[str], failed: list[str]) -> None:
    """'' removed, None nothing to do, else the reason it failed."""
    if problem:
        failed.append(f"{what}{problem}")
    elif problem is not None:
        removed.append(what)


def _objects(engine: Engine, recorded: Recorded) -> list[tuple[str, tuple[str, ...]]]:
    """Recorded and labelled objects, by kind, in removal order."""
    listed = (recorded.containers, recorded.networks, recorded.volumes)
    kinds = ("container", "network", "volume")
    return [
        (kind, tuple(dict.fromkeys((*names, *_labelled(engine, kind, recorded.session)))))
        for kind, names in zip(kinds, listed, strict=True)
    ]


def _labelled(engine: Engine, kind: str, session: str) -> list[str]:
    """Objects of a kind that carry this session's label (none if the engine cannot say)."""
    filters = json.dumps({"label": [f"{LABEL}={session}"]})
    path, key = {
        "container": ("/containers/json", "Id"),
        "network": ("/networks", "Id"),
        "volume": ("/volumes", "Name"),
    }[kind]
    try:
        data = engine.call("GET", path, {"all": "1", "filters": filters}).data
    except EngineError:
        return []
    items = data.get("Volumes") if isinstance(data, dict) else data
    if not isinstance(items, list):
        return []
    return [str(item[key]) for item in items if isinstance(item, dict) and key in item]


def _remove(engine: Engine, kind: str, name: str) -> str | None:
    """Remove one object: '' when removed, None when it was gone already, else ': reason'."""
    path, query = {
        "container": (f"/containers/{quote(name)}", {"force": "1", "v": "1"}),
        "network": (f"/networks/{quote(name)}", None),
        "volume": (f"/volumes/{quote(name)}", None),
    }[kind]
    try:
        reply = engine.call("DELETE", path, query)
    except EngineError as error:
        return f": {error}"
    if reply.status == http.client.NOT_FOUND:
        return None
    return "" if reply.status in GONE else f": {_reason(reply.status, reply.data)}"


def _made_by(engine: Engine, volume: str, session: str, created: str | None) -> bool:
    """Is this volume still the page's: its session label, or the creation time recorded?

    A volume has no id; one of the same name made by someone else after the page removed its
    own (or after a kill) carries neither, and stays.
    """
    try:
        reply = engine.call("GET", f"/volumes/{quote(volume, safe='')}")
    except EngineError:
        return True  # let the removal report the trouble
    data = reply.data if isinstance(reply.data, dict) else {}
    labels = data.get("Labels") or {}
    if reply.status != http.client.OK or not isinstance(labels, dict):
        return False
    return labels.get(LABEL) == session or (
        created is not None and data.get("CreatedAt") == created
    )


def _remove_image(engine: Engine, image: str) -> str | None:
    """An untagged image the page made: '' removed, None gone or tagged since, else ': why'."""
    try:
        reply = engine.call("GET", f"/images/{quote(image, safe=':')}/json")
        data = reply.data if isinstance(reply.data, dict) else {}
        if reply.status == http.client.NOT_FOUND or data.get("RepoTags"):
            return None
        reply = engine.call("DELETE", f"/images/{quote(image, safe=':')}", {"noprune": "1"})
    except EngineError as error:
        return f": {error}"
    if reply.status == http.client.NOT_FOUND or (
        reply.status == http.client.CONFLICT and _has_children(engine, image)
    ):
        return None  # gone, or somebody built on it since: theirs too now
    return "" if reply.status in GONE else f": {_reason(reply.status, reply.data)}"


def _has_children(engine: Engine, image: str) -> bool:
    """Is some image built on this one (a layer of somebody else's build)?"""
    return any(listed.get("ParentId") == image for listed in listed_images(engine))


def _restore_tag(engine: Engine, change: TagChange) -> tuple[bool, str]:
    """Put a tag back as it was before the page: (whether something changed, problem or '')."""
    try:
        current = engine.image_id(change.ref)
        if current == change.previous:
            return False, ""
        if current is not None and change.made is not None and current != change.made:
            return False, ""  # moved again by somebody else since the page: theirs now
        if change.previous is None:
            reply = engine.call(
                "DELETE", f"/images/{quote(change.ref, safe='/:')}", {"noprune": "1"}
            )
        else:
            repo, _, tag = change.ref.rpartition(":")
            path = f"/images/{quote(change.previous, safe=':')}/tag"
            reply = engine.call("POST", path, {"repo": repo, "tag": tag})
    except EngineError as error:
        return False, f": {error}"
    if reply.status in GONE:
        return reply.status != http.client.NOT_FOUND, ""
    return False, f": {_reason(reply.status, reply.data)}"


def _reason(status: int, data: object) -> str:
    message = data.get("message") if isinstance(data, dict) else None
    return f"status {status}" + (f" ({message})" if message else "")
