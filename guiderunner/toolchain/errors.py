"""The toolchain's single exception: guiderunner.cli turns it into one line and an exit status."""

from __future__ import annotations

from guiderunner.errors import ExitCode

USAGE = ExitCode.USAGE
"""Exit status for a bad invocation: nothing was started."""
ENVIRONMENT = ExitCode.ENVIRONMENT
"""Exit status when the machine could not provide the toolchain (engine, SDK, disk, packages)."""


class ToolchainError(Exception):
    """A failure to report as one line, never as a traceback."""

    def __init__(self, message: str, exit_code: int = ENVIRONMENT) -> None:
        super().__init__(" ".join(message.split()))
        self.exit_code = exit_code
