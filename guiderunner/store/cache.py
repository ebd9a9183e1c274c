"""Content hashes of pages, and the record of their last pass, so unchanged pages are not re-run.

A page's *content hash* covers what decides its outcome and nothing else: the plan's steps
(placeholders filled), the variables every shell gets, and the sample solution's files. Prose is
not in the plan, so a prose edit keeps the hash. The *verify key* adds the tool versions and
the page's environment fingerprint (run.docker.fingerprint: Docker client and engine, builder,
base images): the same page against a new Docker or .NET, under the other builder or on a
rebuilt base image must run again. The site's badge uses the content hash,
so that a site built on a machine without Docker still recognises a verified page.

Both live outside the repository, under `${XDG_CACHE_HOME:-~/.cache}/guiderunner/`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from guiderunner.digests import sha256
from guiderunner.model import UNHASHED, LinePattern, Plan, Step
from guiderunner.run.box.workspace import IGNORED
from guiderunner.run.tools import TOOLS, tool_versions

CACHE_NAME = "guiderunner"
VERIFIED_FILE = "verified.json"
TOOLS_FILE = "tools.json"
PROBES_FILE = "docker-clients.json"
TOOLS_TTL = 15 * 60.0  # seconds: a daemon upgraded without its client shows up this late at most


@dataclass(frozen=True, slots=True)
class Pass:
    """The last time a page passed with a given verify key."""

    key: str
    """The verify key it passed with."""
    at: str
    """When, ISO 8601 in UTC."""

    @property
    def shown(self) -> str:
        """The time as a reader wants it: `2025-06-01 14:03 UTC`."""
        from datetime import datetime  # a cached page's only

        return datetime.fromisoformat(self.at).strftime("%Y-%m-%d %H:%M UTC")


def cache_dir(environ: Mapping[str, str]) -> Path:
    """`${XDG_CACHE_HOME:-~/.cache}/guiderunner`."""
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / CACHE_NAME


def probe_memo(environ: Mapping[str, str]) -> Path:
    """Where the Docker clients' answers are kept between runs (run.docker.probe_memo)."""
    return cache_dir(environ) / PROBES_FILE


# --- hashes ----------------------------------------------------------------------------------


def content_hash(plan: Plan, sample: Path | None, env: Mapping[str, str]) -> str:
    """sha256 over the page's executable content, the shell's extra variables and the sample."""
    return content_hashes([plan], sample, env)[plan.path]


def content_hashes(
    plans: Sequence[Plan], sample: Path | None, env: Mapping[str, str]
) -> dict[str, str]:
    """Each page's content hash; the sample solution is read once for all of them."""
    files = b"".join(
        b"\0file\0" + relative.encode() + b"\0" + sha256(data).digest()
        for relative, data in sample_files(sample)
    )
    variables = dict(sorted(env.items()))
    return {plan.path: _page_hash(plan, files, variables) for plan in plans}


def _page_hash(plan: Plan, files: bytes, env: Mapping[str, str]) -> str:
    document = {"steps": [_step_content(s) for s in plan.steps], "env": env}
    digest = sha256(json.dumps(document, sort_keys=True).encode())
    digest.update(files)
    return digest.hexdigest()


def verify_key(
    content: str, tools: Mapping[str, str | None], environment: Mapping[str, Any] | None = None
) -> str:
    """The content hash, the tool versions and the page's fingerprint: what a pass must match.

    >>> verify_key("ab", {"bash": "5"}) == verify_key("ab", {"bash": "5"}) != verify_key("ab", {})
    True
    >>> verify_key("ab", {}, {"builder": "legacy"}) != verify_key("ab", {}, {"builder": "buildkit"})
    True
    """
    document: dict[str, Any] = {"content": content, "tools": dict(tools)}
    if environment:
        document["environment"] = dict(environment)
    text = json.dumps(document, sort_keys=True)
    return sha256(text.encode()).hexdigest()


def _step_content(step: Step) -> dict[str, Any]:
    """Every field of the step but those that do not decide its outcome (model.UNHASHED).

    Derived from the dataclass, so that a new field of a step kind can never give a stale hit.
    """
    content: dict[str, Any] = {"kind": step.KIND}
    for field in fields(step):
        if field.name not in UNHASHED:
            content[field.name] = _plain(getattr(step, field.name))
    return content


def _plain(value: object) -> Any:
    """A field's value as JSON: patterns by their kind and text, compiled regexes by source."""
    if isinstance(value, LinePattern):
        # The kind matters as well as the text: a `regex` directive changes it and not the text.
        return [value.kind, value.text]
    if isinstance(value, re.Pattern):
        return value.pattern
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def sample_files(sample: Path | None) -> Iterator[tuple[str, bytes]]:
    """(relative path, bytes) of every file the workspace copy gets, in a stable order.

    The workspace's own ignore list decides, so what is hashed is exactly what is copied.
    Symbolic links are hashed as their target's name, as the copy keeps them as links.
    """
    if sample is None or not sample.is_dir():
        return
    for folder, names, files in os.walk(sample):
        ignored = IGNORED(folder, [*names, *files])
        names[:] = sorted(n for n in names if n not in ignored)
        base = Path(folder)
        links = [base / n for n in names if (base / n).is_symlink()]
        for path in [*(base / f for f in sorted(files) if f not in ignored), *links]:
            data = str(path.readlink()).encode() if path.is_symlink() else path.read_bytes()
            yield path.relative_to(sample).as_posix(), data


# --- tool versions ---------------------------------------------------------------------------


def cached_tool_versions(
    folder: Path, ask: Callable[[], dict[str, str | None]], tools: tuple[str, ...]
) -> dict[str, str | None]:
    """The tool versions, asked at most every TOOLS_TTL seconds while the binaries stay the same.

    Asking Docker and .NET takes about half a second, more than everything else a cache hit
    costs; the binaries' paths, sizes and dates say when an answer can no longer be trusted.
    """
    fingerprint = _binaries_fingerprint(tools)
    saved = _read_json(folder / TOOLS_FILE)
    asked = saved.get("asked")
    fresh = isinstance(asked, int | float) and 0 <= time.time() - asked < TOOLS_TTL
    same = saved.get("fingerprint") == fingerprint
    if fresh and same and isinstance(saved.get("versions"), dict):
        return dict(saved["versions"])
    versions = ask()
    _write_json(
        folder / TOOLS_FILE,
        {"asked": time.time(), "fingerprint": fingerprint, "versions": versions},
    )
    return versions


def _binaries_fingerprint(tools: tuple[str, ...]) -> list[object]:
    found: list[object] = [os.environ.get("DOCKER_HOST"), os.environ.get("DOCKER_CONTEXT")]
    for tool in tools:
        where = shutil.which(tool)
        stat = Path(where).stat() if where else None
        found.append([tool, where, stat and stat.st_size, stat and stat.st_mtime_ns])
    return found


# --- the record of passes --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VerifyCache:
    """The record of each page's last pass, under one cache folder, for one set of tool versions."""

    folder: Path
    """Where `verified.json` lives."""
    tools: Mapping[str, str | None]
    """The tool versions this run has: a pass with other versions does not count."""

    def hit(
        self, page: Path, content: str, environment: Mapping[str, Any] | None = None
    ) -> Pass | None:
        """The page's last pass when it was with this content, these tools and environment."""
        found = self.last_pass(page, environment)
        key = verify_key(content, self.tools, environment)
        return found if found is not None and found.key == key else None

    def last_pass(self, page: Path, environment: Mapping[str, Any] | None = None) -> Pass | None:
        """The page's last recorded pass under this builder, whatever else it was with."""
        entry = _read_json(self.folder / VERIFIED_FILE).get(entry_id(page, environment))
        if not isinstance(entry, dict) or not {"key", "at"} <= set(entry):
            return None
        return Pass(str(entry["key"]), str(entry["at"]))

    def remember(
        self,
        page: Path,
        content: str,
        *,
        passed: bool,
        environment: Mapping[str, Any] | None = None,
    ) -> None:
        """Record a pass now; a failure forgets the last pass, so the next run runs it."""
        path = self.folder / VERIFIED_FILE
        entries = _read_json(path)
        if passed:
            now = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())  # ISO 8601, UTC
            key = verify_key(content, self.tools, environment)
            entries[entry_id(page, environment)] = {"key": key, "at": now}
        elif entries.pop(entry_id(page, environment), None) is None:
            return
        _write_json(path, entries)


def verify_cache(environ: Mapping[str, str]) -> VerifyCache:
    """The record under the user's cache folder, for the tools this machine has now."""
    folder = cache_dir(environ)
    return VerifyCache(folder, cached_tool_versions(folder, tool_versions, tuple(TOOLS)))


def entry_id(page: Path, environment: Mapping[str, Any] | None) -> str:
    """A page's key in the record, one per builder: `./dev main` alternates the two.

    >>> entry_id(Path("/d/a.md"), {"builder": "legacy"}), entry_id(Path("/d/a.md"), None)
    ('/d/a.md builder=legacy', '/d/a.md')
    """
    builder = (environment or {}).get("builder")
    return page_id(page) + (f" builder={builder}" if builder else "")


def page_id(page: Path) -> str:
    """The key of a page in the record: its absolute path, whatever folder the runner ran from."""
    return str(page.resolve())


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a missing or damaged cache is an empty one
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    """Write atomically, so that two runs at once leave one whole file, never a mix."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream, indent=1, sort_keys=True)
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
