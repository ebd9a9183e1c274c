"""What a run gives: each step's observation, its verdict, and a page's result."""

from __future__ import annotations

from dataclasses import dataclass

from guiderunner.model.basics import Outcome
from guiderunner.model.steps import Step

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
