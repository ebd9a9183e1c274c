"""Debian packages the toolchain needs, installed with apt-get only when a command is missing."""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from guiderunner.toolchain.errors import ToolchainError
from guiderunner.toolchain.proc import SBIN, daemon_env, run
from guiderunner.toolchain.settings import Settings

APT_TIMEOUT = 900.0


def missing(commands: Mapping[str, str]) -> list[str]:
    """Packages whose command is not on PATH (sbin folders included, as root has them)."""
    path = daemon_env()["PATH"] + ":" + ":".join(SBIN)
    return sorted({pkg for cmd, pkg in commands.items() if shutil.which(cmd, path=path) is None})


def ensure(commands: Mapping[str, str], settings: Settings) -> list[str]:
    """Install the packages providing `commands` (command -> package); returns what it installed."""
    packages = missing(commands)
    if not packages:
        return []
    if os.geteuid() != 0:
        raise ToolchainError(f"{', '.join(packages)} missing and installing needs root")
    log = settings.logs / "apt.log"
    _update_once(log)
    env = daemon_env({"DEBIAN_FRONTEND": "noninteractive"})
    run(
        ["apt-get", "install", "-y", "--no-install-recommends", *packages],
        timeout=APT_TIMEOUT,
        log=log,
        env=env,
    )
    return packages


@functools.cache
def _update_once(log: Path) -> None:
    """`apt-get update` at most once per process: package lists rarely change within a run."""
    run(["apt-get", "update"], timeout=APT_TIMEOUT, log=log, env=daemon_env())
