"""Content tabs for platforms: the tab this machine can run is verified, the others skipped.

A tab's title names a platform when one of its words is a known name (`Linux`, `Ubuntu`,
`macOS`, `Windows`, `PowerShell`...), or when the `platform_tabs` setting maps the title to
one. A tab for another platform is skipped with a reason that reports and the site show; a
tab that names no platform runs, as any block does.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guiderunner.model import Tab

NAMES: Mapping[str, str] = {
    "linux": "linux",
    "ubuntu": "linux",
    "debian": "linux",
    "fedora": "linux",
    "rhel": "linux",
    "wsl": "linux",
    "macos": "macos",
    "mac": "macos",
    "osx": "macos",
    "darwin": "macos",
    "windows": "windows",
    "powershell": "windows",
    "cmd": "windows",
}
"""A word of a tab's title -> the platform it names."""
SHOWN = {"linux": "Linux", "macos": "macOS", "windows": "Windows"}


def this_platform() -> str:
    """`linux`, `macos` or `windows`: what the run's machine is (the `platform` fact)."""
    system = _system().lower()
    return {"darwin": "macos"}.get(system, system)


def _system() -> str:
    """platform.system() without importing `platform` (3 ms) where the kernel names itself."""
    if hasattr(os, "uname"):
        return os.uname().sysname
    import platform

    return platform.system()


def tab_platform(title: str, configured: Mapping[str, str]) -> str | None:
    """The platform a tab's title names, or None.

    >>> [tab_platform(t, {"Homebrew": "macos"}) for t in ("Ubuntu 24.04", "Homebrew", "Docker")]
    ['linux', 'macos', None]
    """
    if title in configured:
        return configured[title].lower()
    words = re.findall(r"[a-z]+", title.lower().replace("os x", "osx"))
    return next((NAMES[word] for word in words if word in NAMES), None)


def other_platform(tab: Tab | None, machine: str, configured: Mapping[str, str]) -> str | None:
    """The skip reason of a block in another platform's tab, or None when it runs here."""
    if tab is None:
        return None
    wanted = tab_platform(tab.title, configured)
    if wanted is None or wanted == machine:
        return None
    here = SHOWN.get(machine, machine)
    return f'the "{tab.title}" tab is for {SHOWN.get(wanted, wanted)}; this machine runs {here}'
