"""The versions of the tools a guide runs (bash, Docker, .NET), for reports and the cache."""

from __future__ import annotations

import subprocess

TOOLS = {
    "bash": ["bash", "-c", "echo $BASH_VERSION"],
    "docker": ["docker", "version", "--format", "{{.Server.Version}}"],
    "dotnet": ["dotnet", "--version"],
}


def tool_versions() -> dict[str, str | None]:
    """The versions of the tools the guide runs, None for those missing or not answering."""
    return {name: _version(argv) for name, argv in TOOLS.items()}


def _version(argv: list[str]) -> str | None:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None
