"""`runner toolchain up|down|status`: Docker engine, .NET images, registry (guiderunner.toolchain).

A ToolchainError carries its exit status (2 for a bad setting, 3 for a missing piece); the
one error path in guiderunner.cli.main prints it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from guiderunner.errors import ExitCode
from guiderunner.toolchain.errors import ToolchainError

__all__ = ["ToolchainError", "arguments", "toolchain_command"]

HELP_TEXT = """\
  up      start the Docker engine, build the .NET stand-in images, start the registry
  down    stop the registry and the engine that `up` started (images stay on disk)
  status  show what runs and which images exist

Environment: STOCKKUBE_CACHE (default ~/.cache/stockkube), STOCKKUBE_REGISTRY_PORT (5050),
STOCKKUBE_NUGET (auto|network|local-feed), STOCKKUBE_SOLUTION (restored for a local feed),
STOCKKUBE_DOTNET_ROOT (/usr/share/dotnet: the install the stand-ins copy)."""


def arguments(parser: argparse.ArgumentParser) -> None:
    """`toolchain ACTION`."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = HELP_TEXT
    parser.add_argument("action", choices=["up", "down", "status"])


def toolchain_command(args: argparse.Namespace) -> int:
    """Run one toolchain action; a system call's failure is a missing piece of the machine."""
    from guiderunner.toolchain.commands import COMMANDS
    from guiderunner.toolchain.settings import Settings

    try:
        COMMANDS[args.action](Settings.from_env(project_solution=_project_solution()), _say)
    except (OSError, ValueError) as error:
        raise ToolchainError(f"{type(error).__name__}: {error}") from None
    return ExitCode.OK


def _project_solution() -> Path | None:
    """The .sln of the sample solution named by the nearest mkdocs.yml, if there is one."""
    from guiderunner.errors import UsageError
    from guiderunner.settings import find_config, load_settings

    config = find_config(Path.cwd())
    if config is None:
        return None
    try:
        sample = load_settings(config).sample
    except UsageError:
        return None
    found = sorted(sample.glob("*.sln")) if sample is not None and sample.is_dir() else []
    return found[0] if found else None


def _say(line: str) -> None:
    """Print progress at once, so a long `up` shows where it is."""
    print(line, flush=True)
