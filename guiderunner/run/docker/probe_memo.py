"""What each `docker` client could do, kept between runs: a start without four client probes.

Asking a client (`docker --version`, `docker buildx version`) costs 15 to 40 ms each, and a
machine with two clients on PATH pays four of them before every page's shell can start, even
for a page that never says `docker` (its Docker is watched all the same). The answers depend
on the binary and on the buildx plugin it would find, so they are kept in a file of the
runner's cache folder, keyed on both: the binary's real path, size and date, the
`docker-buildx` of every folder the client looks in (the user's, the system's), and the
client's config file, which may name more folders. A changed binary or plugin asks again; so does
an answer older than PROBE_TTL (a plugin that broke without changing on disk).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from guiderunner.memo_file import read_memo, write_memo

PROBE_TTL = 15 * 60.0
"""Seconds an answer is trusted while nothing it depends on changed (as the tool versions)."""
SYSTEM_PLUGIN_FOLDERS = (
    "/usr/local/lib/docker/cli-plugins",
    "/usr/local/libexec/docker/cli-plugins",
    "/usr/lib/docker/cli-plugins",
    "/usr/libexec/docker/cli-plugins",
)
"""Where a Docker client looks for CLI plugins besides the user's folder."""
Answer = tuple[str | None, bool]
"""(version, buildx works), as builder._probe gives it."""


def memo_key(binary: tuple[object, ...], plugin_folder: str) -> str:
    """The key of one probe: the binary, what each plugin folder holds, the client's config.

    Folders are named by what they hold, not where they are: a page's scratch home is a new
    folder each time, linking the same plugins (or none).

    >>> a = memo_key(("/d", 1, 2), "/nonexistent/a/cli-plugins")
    >>> a == memo_key(("/d", 1, 2), "/nonexistent/b/cli-plugins")
    True
    >>> a == memo_key(("/d", 1, 3), "/nonexistent/a/cli-plugins")
    False
    """
    folders = (plugin_folder, *SYSTEM_PLUGIN_FOLDERS)
    plugins = [_state(Path(folder) / "docker-buildx") for folder in folders]
    config = _content(Path(plugin_folder).parent / "config.json")
    return json.dumps([list(binary), plugins, config], default=str)


def _state(path: Path) -> list[object] | None:
    """What tells a changed file: where it leads, its size and its date (None: absent)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return [str(path.resolve()), stat.st_size, stat.st_mtime_ns]


def _content(path: Path) -> str | None:
    """A small file's text (the client config may name more plugin folders), None: absent."""
    try:
        return path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return None


def recall(memo: Path, key: str) -> Answer | None:
    """The answer kept for `key`, if it is there and fresh."""
    entry = read_memo(memo).get(key)
    if not isinstance(entry, list) or len(entry) != 3:
        return None
    version, buildx, asked = entry
    fresh = isinstance(asked, int | float) and 0 <= time.time() - asked < PROBE_TTL
    if not fresh or not isinstance(buildx, bool) or not isinstance(version, str | None):
        return None
    return version, buildx


def keep(memo: Path, key: str, answer: Answer) -> None:
    """Add an answer (written whole and renamed: a reader never sees half a file)."""
    entries = {k: v for k, v in read_memo(memo).items() if isinstance(v, list) and _fresh_entry(v)}
    entries[key] = [answer[0], answer[1], time.time()]
    write_memo(memo, entries)


def _fresh_entry(entry: list[object]) -> bool:
    asked = entry[-1] if entry else None
    return isinstance(asked, int | float) and 0 <= time.time() - asked < PROBE_TTL
