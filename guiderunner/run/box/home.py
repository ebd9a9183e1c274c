"""A scratch home for each page: what a page does to `~` never reaches the user's dotfiles.

`HOME`, the XDG base directories, `DOCKER_CONFIG` and the .NET CLI's home point into a folder
beside the page's workspace, removed with it. A page starts with an empty home, except for
read-only conveniences that keep it fast and working as on the user's machine without letting
it write the user's configuration:

- NuGet's global packages folder and HTTP cache stay the user's (`NUGET_PACKAGES`,
  `NUGET_HTTP_CACHE_PATH`): caches, shared by design, so a restore does not download again;
- the user's NuGet.Config is copied in (a copy: the page may change it freely);
- the user's Docker CLI plugins (`~/.docker/cli-plugins`, where buildx may live) are linked.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

HOME_NAME = "home"
NUGET_CONFIG = Path(".nuget") / "NuGet" / "NuGet.Config"


def scratch_home(workspace: Path, env: Mapping[str, str]) -> Mapping[str, str]:
    """The variables that move the page's home beside its workspace (an EnvironmentLayer).

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "w").mkdir()
    >>> layer = scratch_home(root / "w", {"HOME": "/nonexistent-user-home"})
    >>> layer["HOME"] == str(root / "home"), layer["DOCKER_CONFIG"] == str(root / "home/.docker")
    (True, True)
    """
    real = Path(env.get("HOME") or Path.home())
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
