"""What only some pages use: services, `when` variants, tabs, files written, stops, notices.

Each frozen, slotted dataclass costs about half a millisecond to build (its methods are
compiled when the class is made), and a page of plain commands uses none of these: they are
built at the first `from guiderunner.model import StartService` (model/__init__.py imports
this module on demand), not at every start. They belong with guide.py (the first four) and
steps.py (the step kinds); tests/unit/cli/test_lazy_imports.py holds that a plain page does
not import them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from guiderunner.model.basics import LinePattern, Span, StepDefaults, StepKind, TypedStep

# --- parse: what a page's directives, tabs and `when` comments say -----------------------


@dataclass(frozen=True, slots=True)
class Notice:
    """Something a page's author should hear about that does not stop the run."""

    span: Span
    """Where it stands."""
    message: str
    """One line."""


@dataclass(frozen=True, slots=True)
class ServiceOptions:
    """A long-running command: started, awaited, checked by later blocks, then stopped."""

    name: str
    """What a `stop` directive calls it."""
    ready: str
    """Regular expression its output must match before the page goes on."""
    ready_timeout: float | None
    """Seconds to wait for `ready`; None takes the settings' default."""


@dataclass(frozen=True, slots=True)
class Variant:
    """A `runner: when KEY=VALUE` comment: the next block as it reads in one environment."""

    span: Span
    """The comment, from `<!--` to `-->`."""
    fence: int
    """The line of its block's opening fence (its first command is on the next line)."""
    facts: tuple[tuple[str, str], ...]
    """Every `key=value` the run's facts must hold for this output to be expected."""
    body: tuple[str, ...]
    """Its console block's lines: the same commands, the output of that environment."""


@dataclass(frozen=True, slots=True)
class Tab:
    """A Material content tab (`=== "Linux"`) a block stands in."""

    title: str
    """The tab's title, as written."""
    set_line: int
    """The line of the first tab of its set: the tabs that share it are alternatives."""


@dataclass(frozen=True, slots=True)
class StopMark:
    """A `runner: stop NAME` directive: stop that service here."""

    span: Span
    """The directive's line."""
    name: str
    """The service to stop."""


# --- plan: the step kinds a plain page does not have ------------------------------------


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
class StartService(TypedStep):
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
