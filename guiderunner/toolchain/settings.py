"""What the toolchain sets up, and where it keeps its state (one cache folder, never the repo).

A project says what its pages need under the runner plugin of its mkdocs.yml; nothing is
set up that it does not name, and the variables (RUNNER_*) override the file:

    toolchain:
      engine: true                    # start a Docker engine when none answers
      images: dotnet-stand-ins        # build the .NET base images locally (the only set today)
      extras: true                    # registry:2 and the chiseled runtime, as stand-ins
      registry: 5050                  # a private registry on this port (RUNNER_REGISTRY_PORT)
      cache: ~/.cache/guiderunner     # RUNNER_TOOLCHAIN_CACHE
      solution: app/App.sln           # restored for a local NuGet feed (RUNNER_SOLUTION)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guiderunner.toolchain.errors import USAGE, ToolchainError


def _image_sets(value: object) -> tuple[str, ...]:
    """The `images` setting: one set's name or a list of them, each of IMAGE_SETS.

    >>> _image_sets("dotnet-stand-ins"), _image_sets(None)
    (('dotnet-stand-ins',), ())
    """
    names = [value] if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
    unknown = [n for n in names if n not in IMAGE_SETS]
    if unknown:
        raise ToolchainError(
            f"toolchain setting images: unknown set(s) {unknown} (known: {', '.join(IMAGE_SETS)})",
            USAGE,
        )
    return tuple(str(n) for n in names)


DEFAULT_REGISTRY_PORT = 5050  # 5000 is a port guides often publish their own service on
NUGET_MODES = ("auto", "network", "local-feed")
IMAGE_SETS = ("dotnet-stand-ins",)
"""Sets of base images `up` can build locally, by the name the `images` setting gives."""
KEYS = frozenset({"engine", "images", "extras", "registry", "cache", "solution", "dotnet_root"})


@dataclass(frozen=True)
class Settings:
    """Paths and knobs read once from the environment, so every step agrees on them."""

    cache: Path
    registry_port: int = DEFAULT_REGISTRY_PORT
    dotnet_root: Path = Path("/usr/share/dotnet")
    nuget_mode: str = "auto"
    solution: Path | None = None
    min_free_gib: float = 5.0
    engine: bool = False
    """Start a Docker engine when none answers."""
    images: tuple[str, ...] = ()
    """IMAGE_SETS to build."""
    extras: bool = False
    """The extra stand-ins (registry:2, the chiseled runtime)."""
    registry: bool = False
    """Run a private registry on `registry_port`."""

    @property
    def configured(self) -> bool:
        """Whether the project asks the toolchain for anything."""
        return self.engine or bool(self.images) or self.extras or self.registry

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        project_solution: Path | None = None,
        config: Mapping[str, Any] | None = None,
    ) -> Settings:
        """The `toolchain` setting, then RUNNER_* variables; a bad value is a usage error.

        The solution restored for a local NuGet feed is RUNNER_SOLUTION, else the setting's,
        else the one of the project's sample (found from mkdocs.yml).
        """
        env = os.environ if env is None else env
        given = dict(config or {})
        unknown = set(given) - KEYS
        if unknown:
            raise ToolchainError(
                f"unknown toolchain setting(s): {', '.join(sorted(unknown))}", USAGE
            )
        default_cache = Path.home() / ".cache" / "guiderunner"
        cache = Path(env.get("RUNNER_TOOLCHAIN_CACHE") or given.get("cache") or default_cache)
        registry = given.get("registry", False)
        port_text = env.get("RUNNER_REGISTRY_PORT") or (
            str(registry) if registry not in (True, False, None) else str(DEFAULT_REGISTRY_PORT)
        )
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ToolchainError(f"RUNNER_REGISTRY_PORT={port_text!r} is not a port", USAGE)
        mode = env.get("RUNNER_NUGET") or "auto"
        if mode not in NUGET_MODES:
            raise ToolchainError(
                f"RUNNER_NUGET={mode!r}: use one of {', '.join(NUGET_MODES)}", USAGE
            )
        images = _image_sets(given.get("images"))
        solution = env.get("RUNNER_SOLUTION") or given.get("solution")
        return cls(
            cache=cache.expanduser().absolute(),
            registry_port=int(port_text),
            dotnet_root=Path(
                env.get("RUNNER_DOTNET_ROOT") or given.get("dotnet_root") or "/usr/share/dotnet"
            ),
            nuget_mode=mode,
            solution=Path(str(solution)) if solution else project_solution,
            engine=bool(given.get("engine", False)) or bool(images) or bool(registry),
            images=images,
            extras=bool(given.get("extras", False)),
            registry=registry not in (False, None),
        )

    @property
    def run_dir(self) -> Path:
        """Pid files of what `up` started: `down` stops exactly these."""
        return self.cache / "run"

    @property
    def logs(self) -> Path:
        """Logs of installs and builds, quoted in error messages."""
        return self.cache / "logs"

    @property
    def build_dir(self) -> Path:
        """Scratch build contexts and the debootstrap root."""
        return self.cache / "build"

    @property
    def data_root(self) -> Path:
        """The dockerd --data-root: images survive `down` and are reused by the next `up`."""
        return self.cache / "docker"

    @property
    def dockerd_pid(self) -> Path:
        """Written by dockerd itself (--pidfile); only our dockerd points there."""
        return self.run_dir / "dockerd.pid"

    @property
    def dockerd_log(self) -> Path:
        """Where dockerd writes its output."""
        return self.cache / "dockerd.log"

    @property
    def registry_dir(self) -> Path:
        """Registry config and blob storage."""
        return self.cache / "registry"

    @property
    def registry_pid(self) -> Path:
        """Pid of the docker-registry process that `up` started."""
        return self.run_dir / "registry.pid"

    @property
    def registry_log(self) -> Path:
        """docker-registry's output."""
        return self.cache / "registry.log"

    def ensure_dirs(self) -> None:
        """Create the cache layout; fails cleanly when the cache folder is not writable."""
        try:
            for folder in (self.run_dir, self.logs, self.build_dir, self.registry_dir):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ToolchainError(f"cannot create the cache folder {self.cache}: {error}") from None
