"""Every type that passes between stages: guide, plan, observation, verdict. No I/O here.

`guide.py` holds what the parse stage reads, `steps.py` the step kinds and the plan (a step
kind is declared once, there), `results.py` what a run gives. Every stage imports them from
here: `from guiderunner.model import Command, Verdict`.
"""

from guiderunner.model.guide import (
    UNHASHED,
    Block,
    BlockKind,
    Guide,
    Notice,
    Options,
    Outcome,
    PatternKind,
    ServiceOptions,
    Span,
    StepKind,
    StopMark,
    Tab,
    Variant,
)
from guiderunner.model.results import NOT_PASSING, Observation, PageResult, Verdict, not_run
from guiderunner.model.steps import (
    Command,
    LinePattern,
    Plan,
    StartService,
    Step,
    StopService,
    WriteFile,
)

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
