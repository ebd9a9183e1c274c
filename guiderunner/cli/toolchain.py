"""`runner toolchain up|down|status`: what mkdocs.yml's `toolchain` setting names.

The work is guiderunner.toolchain's.

A ToolchainError carries its exit status (2 for a bad setting, 3 for a missing piece); the
one error path in guiderunner.cli.main prints it.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from guiderunner.errors import ExitCode
from guiderunner.toolchain.errors import ToolchainError

__all__ = ["ToolchainError", "arguments", "toolchain_command"]

HELP_TEXT = """\
  up      start what the project's `toolchain` setting names (engine, images, registry)
  down    stop what `up` started (images stay on disk)
  status  show what runs and which images exist

Configured under the runner plugin of mkdocs.yml (`toolchain:`); nothing without it.
Environment: RUNNER_TOOLCHAIN_CACHE (default ~/.cache/guiderunner) and RUNNER_REGISTRY_PORT
override the setting; an image set's own variables are in guiderunner.toolchain.settings."""


def arguments(parser: argparse.ArgumentParser) -> None:
    """`toolchain ACTION`."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = HELP_TEXT
    parser.add_argument("action", choices=["up", "down", "status"])


def toolchain_command(args: argparse.Namespace) -> int:
    """Run one toolchain action; a system call's failure is a missing piece of the machine."""
    from guiderunner.toolchain.commands import COMMANDS
    from guiderunner.toolchain.settings import Settings

    config, solution = _project()
    try:
        settings = Settings.from_env(project_solution=solution, config=config)
        COMMANDS[args.action](settings, _say)
    except (OSError, ValueError) as error:
        raise ToolchainError(f"{type(error).__name__}: {error}") from None
    return ExitCode.OK


def _project() -> tuple[Mapping[str, Any], Path | None]:
    """The nearest mkdocs.yml's `toolchain` setting, and its sample's .sln if it has one."""
    from guiderunner.settings import find_config, load_settings

    config = find_config(Path.cwd())
    if config is None:
        return {}, None
    settings = load_settings(config)
    sample = settings.sample
    found = sorted(sample.glob("*.sln")) if sample is not None and sample.is_dir() else []
    return settings.toolchain, found[0] if found else None


def _say(line: str) -> None:
    """Print progress at once, so a long `up` shows where it is."""
    print(line, flush=True)
