"""The one exception family for user mistakes; cli.py turns it into exit status 2."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What `runner` exits with."""

    OK = 0
    """Every step passed (skipped steps allowed)."""
    FAILED = 1
    """A step failed or could not run."""
    USAGE = 2
    """The guide or the invocation is invalid; nothing ran."""
    ENVIRONMENT = 3
    """The machine lacks something the run needs (an engine, the SDK, disk)."""
    INTERRUPTED = 130
    """Stopped by Ctrl-C or SIGTERM; everything started was stopped."""


class UsageError(Exception):
    """A mistake of the user: bad option, missing page, unreadable configuration."""


class GuideError(UsageError):
    """A mistake in a guide, at a line of a page."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message
