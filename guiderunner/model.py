"""Every type that passes between stages: guide, plan, observation, verdict. No I/O here.

A step kind is declared once, here: its dataclass says what it is (`KIND`), how reports name
it (`summary`) and, through its fields, what decides its outcome (the cache hashes every field
but those in `UNHASHED`). How it runs is its one entry in guiderunner.run.steps.execute.OBSERVERS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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


# --- parse: Markdown -> Guide -------------------------------------------------------------


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
class Options:
    """What the directive comment just before a block asks for."""

    skip: str | None = None
    """Reason to skip the block, or None to run it."""
    unless: str | None = None
    """Environment variable that, when set, cancels the skip (credentials, for instance)."""
    timeout: float | None = None
    """Seconds each command may take; None takes the settings' default."""
    exit_status: int = 0
    """Exit status every command of the block must end with."""
    regex: bool = False
    """Every expected line of the block is a regular expression."""
    service: ServiceOptions | None = None
    """Set when the block starts a service instead of running a command."""


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
class Notice:
    """Something a page's author should hear about that does not stop the run."""

    span: Span
    """Where it stands."""
    message: str
    """One line."""


@dataclass(frozen=True, slots=True)
class Block:
    """One executable fenced block of a page."""

    span: Span
    """From the opening fence to the closing one."""
    kind: BlockKind
    """`console` runs commands; `file` writes its text to `title`."""
    lang: str
    """The info string's first word."""
    body: tuple[str, ...]
    """The lines between the fences."""
    title: str | None = None
    """The `title="..."` attribute: the file a `file` block writes."""
    options: Options = field(default_factory=Options)
    """What its directive asks for."""
    hidden: bool = False
    """True when it sits inside a `runner: hidden` comment and never shows on the site."""
    variants: tuple[Variant, ...] = ()
    """The `runner: when` comments before it: its output in other environments."""


@dataclass(frozen=True, slots=True)
class StopMark:
    """A `runner: stop NAME` directive: stop that service here."""

    span: Span
    """The directive's line."""
    name: str
    """The service to stop."""


@dataclass(frozen=True, slots=True)
class Guide:
    """A parsed page: its executable blocks and stop marks, in page order."""

    path: str
    """The page, as the user named it."""
    items: tuple[Block | StopMark, ...]
    """Blocks and stop marks in the order they appear."""
    notices: tuple[Notice, ...] = ()
    """Warnings for the author: prompt lines in fences that are not run."""


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


@dataclass(frozen=True, slots=True)
class Command:
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
    """The exit status it must end with."""
    timeout: float
    """Seconds before it is interrupted."""
    skip: str | None = None
    """Reason it is not run, or None."""

    KIND: ClassVar[StepKind] = "command"

    @property
    def summary(self) -> str:
        """One line naming the step in every report: the command's first line."""
        return self.shown.split("\n", 1)[0]


@dataclass(frozen=True, slots=True)
class WriteFile:
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


@dataclass(frozen=True, slots=True)
class StartService:
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


@dataclass(frozen=True, slots=True)
class StopService:
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


# --- run: Plan -> Observations -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Observation:
    """What happened when one step ran: the facts, with no judgement."""

    step: Step
    """The step that ran."""
    output: str = ""
    """What it printed, as raw as the terminal gave it."""
    status: int | None = None
    """Exit status, or None when there is none (file writes, timeouts, errors)."""
    duration: float = 0.0
    """Seconds it took."""
    error: str | None = None
    """Why it could not run to the end (timeout, shell died): an infrastructure failure."""
    skipped: str | None = None
    """Why it was not run at all."""


# --- match: Observation -> Verdict ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verdict:
    """The judgement on one step, which reporters receive."""

    observation: Observation
    """What happened."""
    outcome: Outcome
    """passed, failed, skipped or error."""
    message: str = ""
    """One line saying why it failed or was skipped."""
    diff: tuple[str, ...] = ()
    """Unified diff of expected vs actual output (normalised), when the output differs."""

    @property
    def step(self) -> Step:
        """The step judged."""
        return self.observation.step

    @property
    def did_not_pass(self) -> bool:
        """Failed or errored: the one predicate every reporter, cache and exit status use."""
        return self.outcome in NOT_PASSING


NOT_PASSING: frozenset[str] = frozenset({"failed", "error"})
"""The outcomes that fail a page (`passed` and `skipped` do not)."""


def not_run(failed_at: object) -> str:
    """Fail-fast, said once: why a step after a failed one is skipped (`verify`, `pytest`).

    >>> not_run("docs/a.md:12")
    'not run: docs/a.md:12 failed'
    """
    return f"not run: {failed_at} failed"


@dataclass(frozen=True, slots=True)
class PageResult:
    """All verdicts of one page."""

    path: str
    """The page."""
    verdicts: tuple[Verdict, ...]
    """One per step, in plan order (steps not reached are skipped)."""
    duration: float
    """Seconds for the page."""
    workspace: str | None = None
    """Where the page ran, when it was kept."""
    cached: str | None = None
    """When the page last passed, if it was not run again because nothing changed since."""
    same_plan_as: str | None = None
    """The page whose verdicts this one took, without running, because their plans are equal."""

    @property
    def passed(self) -> bool:
        """True when no step failed or errored."""
        return not any(v.did_not_pass for v in self.verdicts)
