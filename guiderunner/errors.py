"""The exit codes, and the two error families the command line turns into them.

A user mistake (UsageError, GuideError) ends with exit 2; a missing piece of the machine
(MissingPiece: no bash, no Docker engine answering) ends with exit 3. Only cli prints them.
"""

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


class MissingPiece(Exception):
    """The machine lacks something a run needs: the message names it and how to get it.

    Raised before the page runs (see run.box.preflight), so that a CI job reports a broken
    machine (exit 3) instead of a broken page (exit 1).
    """


PACKAGES = {"bash": "bash", "setsid": "util-linux", "docker": "docker.io"}
"""The Debian package that provides each command a run needs."""


def missing_command(name: str) -> MissingPiece:
    """The error for a command that is not on PATH, naming the package that provides it.

    >>> str(missing_command("setsid"))
    'no setsid on PATH; install it with `apt-get install util-linux`'
    """
    package = PACKAGES.get(name, name)
    return MissingPiece(f"no {name} on PATH; install it with `apt-get install {package}`")


def not_utf8(data: bytes, error: UnicodeDecodeError) -> str:
    """Where a file stops being UTF-8, as a person finds it: line and column, not a byte offset.

    >>> data = "café".encode("latin-1")
    >>> not_utf8(data, UnicodeDecodeError("utf-8", data, 3, 4, "invalid continuation byte"))
    'line 1, column 4: not UTF-8 (invalid continuation byte)'
    """
    before = data[: error.start]
    line = before.count(b"\n") + 1
    column = len(before) - (before.rfind(b"\n") + 1) + 1
    return f"line {line}, column {column}: not UTF-8 ({error.reason})"
