"""Every type that passes between stages: guide, plan, observation, verdict. No I/O here.

`guide.py` holds what the parse stage reads, `steps.py` the step kinds and the plan (a step
kind is declared once, there), `results.py` what a run gives, `features.py` what only some
pages use (services, `when` variants, tabs, files written, stops), imported at the first use
of one of its names. Every stage imports them from here: `from guiderunner.model import
Command, Verdict`.
"""

from typing import TYPE_CHECKING

from guiderunner.model.basics import (
    UNHASHED,
    BlockKind,
    LinePattern,
    Outcome,
    PatternKind,
    Span,
    StepKind,
)
from guiderunner.model.guide import Block, Guide, Options
from guiderunner.model.results import NOT_PASSING, Observation, PageResult, Verdict, not_run
from guiderunner.model.steps import Command, Plan, Step

if TYPE_CHECKING:
    from guiderunner.model.features import (
        Notice,
        ServiceOptions,
        StartService,
        StopMark,
        StopService,
        Tab,
        Variant,
        WriteFile,
    )

_LATER = frozenset(
    {"Notice", "ServiceOptions", "StartService", "StopMark", "StopService", "Tab", "Variant"}
    | {"WriteFile"}
)
"""The names of features.py: its classes are built when one is first asked for."""


def __getattr__(name: str) -> object:
    """A class of features.py, importing it then (PEP 562: only names not found above)."""
    if name in _LATER:
        from guiderunner.model import features

        return getattr(features, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "NOT_PASSING",
    "UNHASHED",
    "Block",
    "BlockKind",
    "Command",
    "Guide",
    "LinePattern",
    "Notice",
    "Observation",
    "Options",
    "Outcome",
    "PageResult",
    "PatternKind",
    "Plan",
    "ServiceOptions",
    "Span",
    "StartService",
    "Step",
    "StepKind",
    "StopMark",
    "StopService",
    "Tab",
    "Variant",
    "Verdict",
    "WriteFile",
    "not_run",
]
