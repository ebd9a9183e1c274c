"""The Docker toolchain the guide runs on: engine, .NET stand-in images, private registry.

`runner toolchain up|down|status` (runner.cli.toolchain) runs commands.py's actions.
"""

from __future__ import annotations

from runner.toolchain.commands import down, status, up
from runner.toolchain.errors import ToolchainError
from runner.toolchain.settings import Settings

__all__ = ["Settings", "ToolchainError", "down", "status", "up"]
