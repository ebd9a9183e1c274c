"""Where the toolchain keeps its state: everything lives under one cache folder, never the repo."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from guiderunner.toolchain.errors import USAGE, ToolchainError

DEFAULT_REGISTRY_PORT = 5050  # 5000 is the port the guide publishes StockData on
NUGET_MODES = ("auto", "network", "local-feed")


@dataclass(frozen=True)
class Settings:
    """Paths and knobs read once from the environment, so every step agrees on them."""

    cache: Path
    registry_port: int = DEFAULT_REGISTRY_PORT
    dotnet_root: Path = Path("/usr/share/dotnet")
    nuget_mode: str = "auto"
    solution: Path = Path("sample-solution") / "StockKube.sln"
    min_free_gib: float = 5.0

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, project_solution: Path | None = None
    ) -> Settings:
        """Read STOCKKUBE_* variables; a malformed value is a usage error, not a crash.

        The solution restored for a local NuGet feed is STOCKKUBE_SOLUTION, else the one of the
        project's sample (the command line finds it from mkdocs.yml), never a path found from
        where this file is installed.
        """
        env = os.environ if env is None else env
        cache = Path(env.get("STOCKKUBE_CACHE") or Path.home() / ".cache" / "stockkube")
        port_text = env.get("STOCKKUBE_REGISTRY_PORT") or str(DEFAULT_REGISTRY_PORT)
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ToolchainError(f"STOCKKUBE_REGISTRY_PORT={port_text!r} is not a port", USAGE)
        mode = env.get("STOCKKUBE_NUGET") or "auto"
        if mode not in NUGET_MODES:
            raise ToolchainError(
                f"STOCKKUBE_NUGET={mode!r}: use one of {', '.join(NUGET_MODES)}", USAGE
            )
        solution = env.get("STOCKKUBE_SOLUTION")
        return cls(
            cache=cache.expanduser().absolute(),
            registry_port=int(port_text),
            dotnet_root=Path(env.get("STOCKKUBE_DOTNET_ROOT") or "/usr/share/dotnet"),
            nuget_mode=mode,
            solution=Path(solution) if solution else project_solution or cls.solution,
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
