"""A scratch home for each page: what a page does to `~` never reaches the user's dotfiles.

`HOME`, the XDG base directories, `DOCKER_CONFIG` and the .NET CLI's home point into a folder
beside the page's workspace, removed with it. A page starts with an empty home, except for
read-only conveniences that keep it fast and working as on the user's machine without letting
it write the user's configuration:

- NuGet's global packages folder and HTTP cache stay the user's (`NUGET_PACKAGES`,
  `NUGET_HTTP_CACHE_PATH`): caches, shared by design, so a restore does not download again;
- the user's NuGet.Config is copied in (a copy: the page may change it freely);
- the user's Docker CLI plugins (`~/.docker/cli-plugins`, where buildx may live) are linked;
- the reader's per-user toolchains (`TOOLCHAINS`: rustup, cargo, nvm, pyenv, sdkman, go,
  `~/.local/bin`, .NET global tools...) are linked from the scratch home, so `rustc` finds
  `~/.rustup` as in the reader's terminal. In the page's box (guiderunner.run.box.namespace)
  each is overlaid in place, so what the page writes there stays in the box; a machine without
  namespaces gets the links alone.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

HOME_NAME = "home"
NUGET_CONFIG = Path(".nuget") / "NuGet" / "NuGet.Config"
TOOLCHAINS = (
    ".rustup",
    ".cargo",
    ".nvm",
    ".pyenv",
    ".sdkman",
    "go",
    ".local/bin",
    ".dotnet/tools",
    ".volta",
    ".bun",
    ".deno",
    ".asdf",
    ".ghcup",
    ".juliaup",
)
"""Per-user toolchain folders, relative to the home: found by the page, never written."""
TOOLCHAIN_VARIABLES = (
    "RUSTUP_HOME",
    "CARGO_HOME",
    "NVM_DIR",
    "PYENV_ROOT",
    "SDKMAN_DIR",
    "GOPATH",
    "VOLTA_HOME",
    "BUN_INSTALL",
    "ASDF_DATA_DIR",
    "DOTNET_ROOT",
)
"""Variables that name a toolchain folder elsewhere under the reader's home."""


def real_home(env: Mapping[str, str]) -> Path:
    """The reader's home: the runner's own HOME."""
    return Path(env.get("HOME") or Path.home())


def toolchain_folders(env: Mapping[str, str]) -> list[Path]:
    """The reader's toolchain folders that exist, outermost only (each mounted once).

    >>> toolchain_folders({"HOME": "/nonexistent-user-home"})
    []
    """
    home = real_home(env)
    named = [Path(env[name]) for name in TOOLCHAIN_VARIABLES if env.get(name)]
    found = [home / folder for folder in TOOLCHAINS] + [p for p in named if p.is_relative_to(home)]
    found = sorted({p for p in found if p.is_dir() and not p.is_symlink() and p != home})
    return [p for p in found if not any(p != q and p.is_relative_to(q) for q in found)]


def scratch_home(workspace: Path, env: Mapping[str, str]) -> Mapping[str, str]:
    """The variables that move the page's home beside its workspace (an EnvironmentLayer).

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "w").mkdir()
    >>> layer = scratch_home(root / "w", {"HOME": "/nonexistent-user-home"})
    >>> layer["HOME"] == str(root / "home"), layer["DOCKER_CONFIG"] == str(root / "home/.docker")
    (True, True)
    """
    real = real_home(env)
    home = workspace.parent / HOME_NAME
    home.mkdir(exist_ok=True)
    _bring_conveniences(real, home)
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "DOCKER_CONFIG": str(home / ".docker"),
        "DOTNET_CLI_HOME": str(home),
        "NUGET_PACKAGES": env.get("NUGET_PACKAGES") or str(real / ".nuget" / "packages"),
        "NUGET_HTTP_CACHE_PATH": env.get("NUGET_HTTP_CACHE_PATH")
        or str(_xdg(env, real, "XDG_DATA_HOME", ".local/share") / "NuGet" / "http-cache"),
    }


def _xdg(env: Mapping[str, str], real: Path, variable: str, default: str) -> Path:
    return Path(env.get(variable) or real / default)


def _bring_conveniences(real: Path, home: Path) -> None:
    config = real / NUGET_CONFIG
    if config.is_file():
        (home / NUGET_CONFIG).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(config, home / NUGET_CONFIG)
    plugins = real / ".docker" / "cli-plugins"
    if plugins.is_dir():
        (home / ".docker").mkdir(exist_ok=True)
        (home / ".docker" / "cli-plugins").symlink_to(plugins)
    for folder in TOOLCHAINS:
        if (real / folder).is_dir():
            (home / folder).parent.mkdir(parents=True, exist_ok=True)
            (home / folder).symlink_to(real / folder)
