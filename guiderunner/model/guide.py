"""What a page says, as the parse stage reads it: spans, blocks, options, notices, the guide.

Also the names every stage shares for kinds and outcomes (`Outcome`, `StepKind`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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
    output: Literal["strict", "any"] | None = None
    """`output=strict`: no expected output means none printed; `any`: not checked; None: the
    settings' `strict_output` decides."""
    note: str | None = None
    """`note TEXT`: what the presenter reads before the block (`runner step`); never shown
    on the site, which does not render HTML comments."""


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
class Tab:
    """A Material content tab (`=== "Linux"`) a block stands in."""

    title: str
    """The tab's title, as written."""
    set_line: int
    """The line of the first tab of its set: the tabs that share it are alternatives."""


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
    tab: Tab | None = None
    """The content tab it stands in, if any."""


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
