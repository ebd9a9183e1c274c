"""What the plan stage makes of a page: the step kinds, each declared once, and the plan.

A step kind is a dataclass here: `KIND` (how reports name it), `summary` (its one-line name)
and the few properties every stage asks a step (what a reader types, what output it checks,
which service it starts or stops) instead of testing its type. How it runs is its one entry
in guiderunner.run.steps.execute.OBSERVERS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from guiderunner.model.guide import Notice, PatternKind, Span, StepKind

# --- plan: Guide -> Plan ------------------------------------------------------------------


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


@dataclass(frozen=True, slots=True)
class Command(StepDefaults):
    """Run one command in the page's shell and check its status and output."""

    span: Span
    """The command's `$ ` line (to its last continuation line)."""
    text: str
    """What is typed, continuation lines included, placeholders replaced."""
    shown: str
    """What the reader sees, for reports."""
    expected: tuple[LinePattern, ...]
    """The output the reader should see; empty checks only the exit status."""
    exit_status: int
    """The exit status it must end with (a `[N]` line under it, or the block's `exit=N`)."""
    timeout: float
    """Seconds before it is interrupted."""
    skip: str | None = None
    """Reason it is not run, or None."""
    strict_output: bool = False
    """With no expected lines: True means it must print nothing; False, that output is not
    checked."""

    KIND: ClassVar[StepKind] = "command"

    @property
    def summary(self) -> str:
        """One line naming the step in every report: the command's first line."""
        return self.shown.split("\n", 1)[0]

    judged_on_output: ClassVar[bool] = True
    live: ClassVar[bool] = True

    @property
    def typed(self) -> str:  # noqa: D102 - StepDefaults says it
        return self.text

    @property
    def typed_lines(self) -> tuple[str, ...]:  # noqa: D102
        return tuple(self.shown.split("\n"))

    @property
    def checked_output(self) -> tuple[LinePattern, ...]:  # noqa: D102
        return self.expected

    @property
    def expected_status(self) -> int | None:  # noqa: D102
        return self.exit_status

    @property
    def expects_silence(self) -> bool:  # noqa: D102
        return self.strict_output

    @property
    def notes(self) -> tuple[str, ...]:  # noqa: D102
        return (
            *((f"exit {self.exit_status}",) if self.exit_status else ()),
            f"timeout {self.timeout:g}s",
        )


@dataclass(frozen=True, slots=True)
class WriteFile(StepDefaults):
    """Write a titled block's text to a file of the workspace."""

    span: Span
    """The block."""
    path: str
    """Relative POSIX path inside the workspace, already checked."""
    content: str
    """The text to write, ending with a newline."""
    skip: str | None = None
    """Reason it is not written, or None."""

    KIND: ClassVar[StepKind] = "file"

    @property
    def summary(self) -> str:
        """One line naming the step in every report."""
        return f"write {self.path}"

    @property
    def written(self) -> tuple[str, str] | None:  # noqa: D102 - StepDefaults says it
        return (self.path, self.content)


@dataclass(frozen=True, slots=True)
class StartService(StepDefaults):
    """Start a long-running command and wait until its output says it is ready."""

    span: Span
    """The command's line."""
    name: str
    """Its name for the stop step."""
    text: str
    """The command, placeholders replaced."""
    shown: str
    """What the reader sees."""
    ready: re.Pattern[str]
    """What its output must match to be ready."""
    ready_timeout: float
    """Seconds to wait for readiness."""
    expected: tuple[LinePattern, ...]
    """What its whole output, up to the stop, should look like."""
    skip: str | None = None
    """Reason it is not started, or None."""

    KIND: ClassVar[StepKind] = "start"

    @property
    def summary(self) -> str:
        """One line naming the step in every report."""
        return f"start {self.name}: {self.shown.split(chr(10), 1)[0]}"

    @property
    def typed(self) -> str:  # noqa: D102 - StepDefaults says it
        return self.text

    @property
    def typed_lines(self) -> tuple[str, ...]:  # noqa: D102
        return tuple(self.shown.split("\n"))

    @property
    def starts(self) -> str | None:  # noqa: D102
        return self.name


@dataclass(frozen=True, slots=True)
class StopService(StepDefaults):
    """Stop a service (Ctrl-C, then harder) and check its whole output."""

    span: Span
    """The stop directive, or the start line when the page's end stops it."""
    name: str
    """The service to stop."""
    expected: tuple[LinePattern, ...]
    """Copied from the start step: checked against the service's whole output."""
    skip: str | None = None
    """Set when the service was skipped, so there is nothing to stop."""

    KIND: ClassVar[StepKind] = "stop"

    @property
    def summary(self) -> str:
        """One line naming the step in every report."""
        return f"stop {self.name}"

    judged_on_output: ClassVar[bool] = True

    @property
    def checked_output(self) -> tuple[LinePattern, ...]:  # noqa: D102 - StepDefaults says it
        return self.expected

    @property
    def stops(self) -> str | None:  # noqa: D102
        return self.name


Step = Command | WriteFile | StartService | StopService


@dataclass(frozen=True, slots=True)
class Plan:
    """The ordered steps of one page, all checked before anything runs."""

    path: str
    """The page."""
    steps: tuple[Step, ...]
    """In execution order."""
    uses_docker: bool
    """True when some command calls docker: the run then cleans up containers and networks."""
    notices: tuple[Notice, ...] = ()
    """The guide's warnings, for the command line to print."""
