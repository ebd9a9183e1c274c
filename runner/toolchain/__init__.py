"""The Docker toolchain the guide runs on: engine, .NET stand-in images, private registry.

`python -m runner.toolchain up|down|status`, or `main(argv)` from the runner's CLI.
"""

from __future__ import annotations

from runner.toolchain.cli import down, main, status, up
from runner.toolchain.errors import ToolchainError
from runner.toolchain.settings import Settings

__all__ = ["Settings", "ToolchainError", "down", "main", "status", "up"]
