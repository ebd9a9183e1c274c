"""Images a call makes under names it does not give beforehand: load, import, commit, pull -a.

And a build's untagged images (BuildWatch).

`docker load` learns its tags from the archive, `docker pull -a` from the registry, and
`docker import` and `docker commit` without a repository make an image with no tag at all. So
the watch notes every tag and image id on the engine before the call, and after it writes into
the record each tag the call made or moved (with the image it named before, to restore it) and
each image the answer names that did not exist before. The answer is read as it passes (the
proxy keeps its first MiB): `Loaded image: app:1`, `Loaded image ID: sha256:…`, an import's
`{"status": "sha256:…"}`, a commit's `{"Id": "sha256:…"}`. A kill in the middle of such a call
loses what it made from the record (its tags are known only after it), not the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from guiderunner.run.docker.api import Engine, normal_ref
from guiderunner.run.docker.record import RecordWriter


class Recorder(Protocol):
    """What the watch needs of watch.Recorder: the engine and the record."""

    engine: Engine
    writer: RecordWriter

    def add(self, kind: str, name: str) -> None:
        """Record one object the page made."""


class Watched(Protocol):
    """A watch another one wraps (watch.Watch, said again here: watch.py imports this module)."""

    def before(self, body: object) -> object:
        """Before the call."""

    def after(self, status: int, answer: object) -> None:
        """After the call."""


def listed_images(engine: Engine) -> list[dict[str, Any]]:
    """Every image on the engine as it lists them, layers included (`all=1`)."""
    reply = engine.call("GET", "/images/json", {"all": "1"})
    images = reply.data if isinstance(reply.data, list) else []
    return [image for image in images if isinstance(image, dict)]


LOADED = "Loaded image: "
LOADED_ID = "Loaded image ID: "


def unnamed_kind(path: str, query: dict[str, list[str]]) -> str | None:
    """Which call this is, when it may make tags or images it does not name; else None.

    >>> unnamed_kind("/images/create", {"fromImage": ["busybox"], "tag": [""]})
    'pull-all'
    >>> unnamed_kind("/images/create", {"fromImage": ["busybox"], "tag": ["1"]}) is None
    True
    """

    def one(key: str) -> str:
        return query.get(key, [""])[0]

    if path == "/images/load":
        return "load"
    if path == "/commit":
        return "commit"
    if path == "/images/create" and one("fromSrc"):
        return "import"
    image = one("fromImage")
    tagless = image and not one("tag") and "@" not in image
    if path == "/images/create" and tagless and ":" not in image.rsplit("/", 1)[-1]:
        return "pull-all"
    return None


@dataclass(slots=True)
class UnnamedWatch:
    """Load, import, commit, pull -a: what changed on the engine, as the answer names it."""

    recorder: Recorder
    kind: str
    named: tuple[str, ...]
    """Tags the query names (`repo`/`tag` of import and commit, the repository of pull -a)."""
    needs_body: bool = False
    _tags: dict[str, str] = field(default_factory=dict)
    _ids: set[str] = field(default_factory=set)

    def before(self, body: object) -> object:
        """Note every tag and image id there is now."""
        self._tags, self._ids = self._snapshot()
        return body

    def after(self, status: int, answer: object) -> None:
        """Record each tag the call made or moved, and each new untagged image."""
        tags, _ = self._snapshot()
        items = (
            [item for item in answer if isinstance(item, dict)] if isinstance(answer, list) else []
        )
        refs, ids = set(self.named), set()
        for item in items:
            for line in str(item.get("stream") or "").splitlines():
                if line.startswith(LOADED) and (ref := normal_ref(line[len(LOADED) :].strip())):
                    refs.add(ref)
                elif line.startswith(LOADED_ID):
                    ids.add(line[len(LOADED_ID) :].strip())
            for key in ("Id", "status"):
                if str(item.get(key) or "").startswith("sha256:"):
                    ids.add(str(item[key]))
        if self.kind == "pull-all":
            repos = {ref.rpartition(":")[0] for ref in self.named}
            refs |= {ref for ref in tags if ref.rpartition(":")[0] in repos}
        writer = self.recorder.writer
        for ref in sorted(refs):
            if ref in tags and tags[ref] != self._tags.get(ref):
                writer.add({"kind": "tag", "name": ref, "previous": self._tags.get(ref)})
                writer.add({"kind": "tagged", "name": ref, "image": tags[ref]})
        for image in sorted(ids - self._ids):
            if image not in tags.values():
                self.recorder.add("image", image)

    def _snapshot(self) -> tuple[dict[str, str], set[str]]:
        """Every tag (fully spelled) with its image id, and every image id."""
        tags: dict[str, str] = {}
        ids: set[str] = set()
        for image in listed_images(self.recorder.engine):
            ids.add(str(image.get("Id")))
            for tag in image.get("RepoTags") or []:
                if (ref := normal_ref(str(tag))) is not None:
                    tags[ref] = str(image.get("Id"))
        return tags, ids


BUILT = re.compile(r"^(?: ---> |Successfully built |sha256:)([0-9a-f]{12,64})$", re.M)
"""The legacy builder names each image it makes (every step's, each stage's last, the result;
with `-q`, only the result)."""


@dataclass(slots=True)
class BuildWatch:
    """Build: its tags as TagWatch records them, and every image it made.

    The legacy builder makes an image per step and names each (`---> id`); a build without
    `-t` leaves its result untagged (BuildKit names it in its `aux` ID). Each image the answer
    names that did not exist before the build is the page's, recorded in the order the build
    made it, parents first: once the page's tags are gone, they are removed children first
    (owned.py), so no stage's layers stay behind as dangling images. An image that existed
    before (a cache hit on the user's layers) is never recorded.
    """

    recorder: Recorder
    tags: Watched
    """The build's tags, watched as any tag move is (watch.TagWatch)."""
    needs_body: bool = False

    _existing: set[str] = field(default_factory=set)

    def before(self, body: object) -> object:
        """Record each tag's image; note every image there is (a cache hit names one not made)."""
        self._existing = set(self._images())
        return self.tags.before(body)

    def after(self, status: int, answer: object) -> None:
        """Record the tags, then each image the build named and made, parents first."""
        self.tags.after(status, answer)
        named: list[str] = []
        for item in answer if isinstance(answer, list) else []:
            if isinstance(item, dict):
                named += BUILT.findall(str(item.get("stream") or ""))
                aux = item.get("aux")
                if isinstance(aux, dict) and str(aux.get("ID", "")).startswith("sha256:"):
                    named.append(str(aux["ID"]).removeprefix("sha256:"))
        if not named:
            return
        made = [full for full in self._images() if full not in self._existing]
        for short in dict.fromkeys(named):
            for full in made:
                if full.removeprefix("sha256:").startswith(short):
                    self.recorder.add("image", full)

    def _images(self) -> list[str]:
        """Every image id on the engine, layers included."""
        return [str(image.get("Id")) for image in listed_images(self.recorder.engine)]
