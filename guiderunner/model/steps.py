"""What the plan stage makes of a page: the step kinds, each declared once, and the plan.

A step kind is a dataclass here (the kinds a plain page lacks are in features.py): `KIND`
(how reports name it), `summary` (its one-line name) and the few properties every stage asks
a step (what a reader types, what output it checks, which service it starts or stops) instead
of testing its type. How it runs is its one entry in guiderunner.run.steps.execute.OBSERVERS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from guiderunner.model.basics import LinePattern, Span, StepDefaults, StepKind, TypedStep

if TYPE_CHECKING:  # built when a page has such steps: guiderunner.model.features
    from typing import TypeAlias

    from guiderunner.model.features import Notice, StartService, StopService, WriteFile

# --- plan: Guide -> Plan ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Command(TypedStep):
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


if TYPE_CHECKING:
    Step: TypeAlias = Command | WriteFile | StartService | StopService
else:  # at run time only annotations name it, and they are not evaluated
    Step = StepDefaults


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
