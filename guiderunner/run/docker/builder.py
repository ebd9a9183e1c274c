"""The Docker builder a page builds with: an environment layer that picks a client able to use it.

The builder is a setting (guiderunner.settings: `builder`, `RUNNER_BUILDER`, `--builder`), not a
variable an author sets by hand. Which client can use which builder:

- BuildKit: a client with a working `buildx` plugin (Docker 23 and later build with it by
  default), or a client older than 23, whose BuildKit is built in and turned on by
  `DOCKER_BUILDKIT=1`. A client of 23 or later without buildx cannot: it stops at the first
  `docker build` ("BuildKit is enabled but the buildx component is missing or broken").
- legacy: any client, with `DOCKER_BUILDKIT=0`.

Every `docker` on the page's PATH is considered, in PATH order. When the first one cannot use
the builder and a later one can, the page gets a private bin folder holding a `docker` link to
that client, put first on its PATH; the user's PATH is otherwise left as it is. The folder is
beside the workspace, in the page's scratch folder (guiderunner.run.box.workspace), so that a
Dockerfile's `COPY . .` never carries the link into an image, and it goes with the page.

What each client can do is asked once per process (`docker --version`, `docker buildx
version`: 15 to 60 ms each), keyed on the binary and where it looks for plugins; with a memo
file (guiderunner.run.docker.probe_memo), once per PROBE_TTL across runs while neither the
binary nor its plugins change.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from guiderunner.errors import MissingPiece
from guiderunner.run.docker import probe_memo
from guiderunner.settings import Builder

BUILDX_DEFAULT_MAJOR = 23
"""From this Docker version on, `docker build` is buildx: no BuildKit without the plugin."""
BIN_FOLDER = "bin"
"""The page-private folder, beside the workspace, that holds the chosen `docker`."""
PROBE_TIMEOUT = 20.0
PLUGIN_VARIABLES = ("HOME", "DOCKER_CONFIG")
"""Where a client looks for its CLI plugins (buildx): part of what a probe depends on."""


@dataclass(frozen=True, slots=True)
class Client:
    """One `docker` binary on PATH, and what it can do."""

    path: str
    """Where PATH finds it."""
    version: str | None
    """Its own version (`docker --version`), None when it does not answer."""
    buildx: bool
    """`docker buildx version` works: the buildx plugin is installed and runs."""

    @property
    def major(self) -> int | None:
        """The major version: 20 for `20.10.24+dfsg1`."""
        found = re.match(r"\d+", self.version or "")
        return int(found[0]) if found else None

    def can_use(self, builder: Builder) -> bool:
        """Whether `docker build` from this client can use `builder`.

        >>> Client("/d", "20.10.24+dfsg1", False).can_use("buildkit")
        True
        >>> without, with_buildx = Client("/d", "28.2.2", False), Client("/d", "28.2.2", True)
        >>> without.can_use("buildkit"), with_buildx.can_use("buildkit")
        (False, True)
        """
        if self.version is None:
            return False
        if builder == "legacy" or self.buildx:
            return True
        return self.major is not None and self.major < BUILDX_DEFAULT_MAJOR


def builder_variables(builder: Builder) -> dict[str, str]:
    """What the shell needs for `builder` once the right client is first on PATH.

    >>> builder_variables("legacy")
    {'DOCKER_BUILDKIT': '0'}
    """
    return {"DOCKER_BUILDKIT": "1" if builder == "buildkit" else "0"}


def docker_clients(env: Mapping[str, str], memo: Path | None = None) -> tuple[Client, ...]:
    """Every `docker` on env's PATH, in order, each binary once (`/bin` may be `/usr/bin`).

    `memo`: the file that keeps the answers between runs (None: asked once per process).
    """
    found: list[Client] = []
    seen: set[str] = set()
    for folder in env.get("PATH", "").split(os.pathsep):
        candidate = Path(folder or ".") / "docker"
        if not (candidate.is_file() and os.access(candidate, os.X_OK)):
            continue
        real = str(candidate.resolve())
        if real in seen:
            continue
        seen.add(real)
        stat = candidate.stat()
        plugins = tuple(env.get(name, "") for name in PLUGIN_VARIABLES)
        key = (real, stat.st_size, stat.st_mtime_ns, _plugin_folder(env))
        version, buildx = _probe(str(candidate), plugins, key, memo)
        found.append(Client(str(candidate), version, buildx))
    return tuple(found)


def _plugin_folder(env: Mapping[str, str]) -> str:
    """The user's CLI plugin folder, resolved: a scratch home links it, and is new per page."""
    config = env.get("DOCKER_CONFIG") or str(Path(env.get("HOME") or "/nonexistent") / ".docker")
    return str((Path(config) / "cli-plugins").resolve())


def choose_client(builder: Builder, clients: Sequence[Client]) -> Client:
    """The first client that can use `builder`; a MissingPiece naming what to install if none.

    >>> old = Client("/usr/bin/docker", "20.10", False)
    >>> new = Client("/usr/local/bin/docker", "28.2", False)
    >>> choose_client("buildkit", [new, old]).path, choose_client("legacy", [new, old]).path
    ('/usr/bin/docker', '/usr/local/bin/docker')
    """
    for client in clients:
        if client.can_use(builder):
            return client
    raise MissingPiece(_missing(builder, clients))


def _missing(builder: Builder, clients: Sequence[Client]) -> str:
    if not clients or all(c.version is None for c in clients):
        return "no working Docker client on PATH: install Docker (Debian: docker.io)"
    found = ", ".join(f"{c.path} {c.version or '(not answering)'}" for c in clients)
    return (
        f"no Docker client on PATH can build with BuildKit ({found}, without buildx): "
        "install the buildx plugin (Debian: docker-buildx; Docker's packages: "
        "docker-buildx-plugin), or choose --builder legacy"
    )


def chosen_client(builder: Builder, env: Mapping[str, str]) -> Client:
    """The client a page with this environment builds with (MissingPiece when none can)."""
    return choose_client(builder, docker_clients(env))


@dataclass(frozen=True, slots=True)
class BuilderLayer:
    """The environment layer (guiderunner.run.seams.EnvironmentLayer) for one builder."""

    builder: Builder
    """The builder every `docker build` of the page uses."""
    memo: Path | None = None
    """Where the clients' answers are kept between runs (guiderunner.run.docker.probe_memo)."""

    def __call__(self, workspace: Path, env: Mapping[str, str]) -> Mapping[str, str]:
        """`DOCKER_BUILDKIT`, and PATH when the chosen client is not the first `docker` on it."""
        clients = docker_clients(env, self.memo)
        chosen = choose_client(self.builder, clients)
        variables = builder_variables(self.builder)
        if chosen != clients[0]:
            folder = workspace.parent / BIN_FOLDER
            folder.mkdir(exist_ok=True)
            link = folder / "docker"
            link.unlink(missing_ok=True)
            link.symlink_to(chosen.path)
            variables["PATH"] = f"{folder}{os.pathsep}{env.get('PATH', '')}"
        return variables


def _probe(
    path: str, plugins: tuple[str, ...], key: tuple[object, ...], memo: Path | None
) -> tuple[str | None, bool]:
    """(version, buildx works) of one binary, asked once per process for each key.

    With a memo file, an answer kept there for the same binary and plugins is taken instead.
    """
    if key not in _PROBED and memo is not None:
        kept_key = probe_memo.memo_key(key[:-1], str(key[-1]))
        kept = probe_memo.recall(memo, kept_key)
        if kept is None:
            kept = _asked(path, plugins)
            probe_memo.keep(memo, kept_key, kept)
        _PROBED[key] = kept
    if key not in _PROBED:
        _PROBED[key] = _asked(path, plugins)
    return _PROBED[key]


def _asked(path: str, plugins: tuple[str, ...]) -> tuple[str | None, bool]:
    """Ask the binary itself: its version, then whether `buildx` runs."""
    env = {**os.environ, **dict(zip(PLUGIN_VARIABLES, plugins, strict=True))}
    env = {k: v for k, v in env.items() if v}
    said = _run([path, "--version"], env)
    found = re.search(r"version\s+v?([0-9][^,\s]*)", said or "")  # compiled when asked
    version = found[1] if found else None
    buildx = version is not None and _run([path, "buildx", "version"], env) is not None
    return version, buildx


_PROBED: dict[tuple[object, ...], tuple[str | None, bool]] = {}
"""What each binary (path, size, date, plugin folder) could do, for the life of the process."""


def _run(argv: list[str], env: Mapping[str, str]) -> str | None:
    """The command's output when it succeeds, None otherwise."""
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, env=dict(env), timeout=PROBE_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None
