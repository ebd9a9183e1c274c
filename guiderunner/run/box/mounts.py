"""What a page's box mounts: the page's Docker proxy over the engine's sockets, the toolchains.

The engine's socket is wherever a client could look for it: the default paths
(`/var/run/docker.sock`, `/run/docker.sock`) and the runner's own DOCKER_HOST when it is a
Unix socket. Each existing one is covered by the page's proxy socket, so `DOCKER_HOST=unix:///
var/run/docker.sock`, `docker -H`, a `docker context` or `curl --unix-socket` all reach the
proxy. The reader's toolchain folders (guiderunner.run.box.home) are overlaid in place.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from guiderunner.run.box.home import toolchain_folders
from guiderunner.run.box.namespace import Mount

ENGINE_SOCKETS = ("/var/run/docker.sock", "/run/docker.sock")


def page_mounts(base_env: Mapping[str, str], docker_env: Mapping[str, str]) -> list[Mount]:
    """The box's mounts; `docker_env` is the page's Docker proxy's (empty: no engine here)."""
    mounts = [Mount(folder, folder, overlay=True) for folder in toolchain_folders(base_env)]
    proxy = _unix_path(docker_env.get("DOCKER_HOST", ""))
    if proxy is None:
        return mounts
    return [*mounts, *(Mount(Path(proxy), socket) for socket in engine_sockets(base_env))]


def engine_sockets(env: Mapping[str, str]) -> list[Path]:
    """The engine's Unix sockets a client could use here, each once (symlinks resolved)."""
    candidates = [*ENGINE_SOCKETS, _unix_path(env.get("DOCKER_HOST", "")) or ""]
    found: list[Path] = []
    for candidate in filter(None, candidates):
        path = Path(os.path.realpath(candidate))
        if path not in found and _is_socket(path):
            found.append(path)
    return found


def _unix_path(host: str) -> str | None:
    url = urlsplit(host)
    return url.path if url.scheme == "unix" and url.path else None


def _is_socket(path: Path) -> bool:
    try:
        return stat.S_ISSOCK(path.stat().st_mode)
    except OSError:
        return False
