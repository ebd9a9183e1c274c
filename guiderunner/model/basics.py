"""The small types every other model module builds on: kinds, spans, expected lines, steps' base.

Apart so that guide.py, steps.py and features.py (what only some pages use, built on demand)
all stand on it without importing each other at run time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Literal

BlockKind = Literal["console", "file"]
Outcome = Literal["passed", "failed", "skipped", "error"]
PatternKind = Literal["exact", "inline", "regex", "any-lines"]
StepKind = Literal["command", "file", "start", "stop"]
UNHASHED = frozenset({"span", "shown"})
"""Step fields that do not decide the outcome: where the step stands, and what readers see."""


@dataclass(frozen=True, slots=True)
class Span:
    """Where something stands in a guide, so that every message can point at it."""

    path: str
    """The page, as the user named it."""
    start: int
    """First line, 1-based."""
    end: int
    """Last line, 1-based, inclusive."""

    def __str__(self) -> str:
        return f"{self.path}:{self.start}"


@dataclass(frozen=True, slots=True)
class LinePattern:
    """One expected line, already compiled by the rule that recognised it."""

    kind: PatternKind
    """The rule that recognised it."""
    text: str
    """The line as written (placeholders replaced)."""
    regex: re.Pattern[str] | None = None
    """Compiled form for `regex` lines (a Python regular expression, matched on one line)."""
    pieces: tuple[str, ...] = ()
    """For `inline` lines: the literal text around each `...`, found in order (linear time)."""


class StepDefaults:
    """What every stage asks a step, whatever its kind; each kind overrides what it has.

    No stage tests a step's type: it asks these, and a new kind answers them.
    """

    __slots__ = ()
    judged_on_output: ClassVar[bool] = False
    """Its verdict depends on its output and status (a written file's or a start's does not)."""
    live: ClassVar[bool] = False
    """Its output streams while it runs, and its failure shows the command."""

    @property
    def typed(self) -> str:
        """What the reader types ("" when nothing is)."""
        return ""

    @property
    def typed_lines(self) -> tuple[str, ...]:
        """What the reader types, as the page shows it, line by line."""
        return ()

    @property
    def checked_output(self) -> tuple[LinePattern, ...]:
        """The output its own verdict compares."""
        return ()

    @property
    def expected_status(self) -> int | None:
        """The exit status it must end with, if it has one."""
        return None

    @property
    def expects_silence(self) -> bool:
        """With no expected lines, it must print nothing (`strict_output`)."""
        return False

    @property
    def notes(self) -> tuple[str, ...]:
        """What `runner list` says of its options."""
        return ()

    @property
    def written(self) -> tuple[str, str] | None:
        """(path, content) of the file it writes, if it writes one."""
        return None

    @property
    def starts(self) -> str | None:
        """The service it starts, if it starts one."""
        return None

    @property
    def stops(self) -> str | None:
        """The service it stops, if it stops one."""
        return None


class TypedStep(StepDefaults):
    """A step whose command is typed at the page's shell (a command, a service's start)."""

    __slots__ = ()
    text: str
    """The command as typed (its dataclass says it)."""
    shown: str
    """The command as readers see it (its dataclass says it)."""

    @property
    def typed(self) -> str:  # noqa: D102 - StepDefaults says it
        return self.text

    @property
    def typed_lines(self) -> tuple[str, ...]:  # noqa: D102
        return tuple(self.shown.split("\n"))
