"""What a page says, as the parse stage reads it: spans, blocks, options, notices, the guide.

What only some pages use (services, `when` variants, content tabs, stop marks, notices) is
in `features.py`, built when a page needs it.

The names every stage shares for kinds and outcomes (`Outcome`, `StepKind`) and the span are
in `basics.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from guiderunner.model.basics import BlockKind, Span

if TYPE_CHECKING:  # built when a page uses them: guiderunner.model.features
    from guiderunner.model.features import Notice, ServiceOptions, StopMark, Tab, Variant

# --- parse: Markdown -> Guide -------------------------------------------------------------


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
class Guide:
    """A parsed page: its executable blocks and stop marks, in page order."""

    path: str
    """The page, as the user named it."""
    items: tuple[Block | StopMark, ...]
    """Blocks and stop marks in the order they appear."""
    notices: tuple[Notice, ...] = ()
    """Warnings for the author: prompt lines in fences that are not run."""
