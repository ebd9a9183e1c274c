"""Reporters consume finished verdicts only, through two calls: step finished, run finished.

text.py holds the words every reporter shares; terminal.py, junit.py and json_report.py are
the reporters.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from guiderunner.model import PageResult, Verdict


class Reporter(Protocol):
    """What every reporter implements (a guiderunner.run.seams.StepListener, plus the run's end)."""

    def step_finished(self, path: str, verdict: Verdict) -> None:
        """One step of page `path` has its verdict."""

    def run_finished(self, results: Sequence[PageResult]) -> None:
        """Every page is done."""
