"""The toolchain's single exception: main() turns it into one line on stderr and an exit status."""

from __future__ import annotations

USAGE = 2
"""Exit status for a bad invocation: nothing was started."""
ENVIRONMENT = 3
"""Exit status when the machine could not provide the toolchain (engine, SDK, disk, packages)."""


class ToolchainError(Exception):
    """A failure to report as one line, never as a traceback."""

    def __init__(self, message: str, exit_code: int = ENVIRONMENT) -> None:
        super().__init__(" ".join(message.split()))
        self.exit_code = exit_code
