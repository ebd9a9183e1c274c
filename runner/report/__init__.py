"""Reporters consume finished verdicts only, through two calls: step finished, run finished."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from runner.model import Command, PageResult, StartService, Step, StopService, Verdict, WriteFile


class Reporter(Protocol):
    """What every reporter implements."""

    def step_finished(self, path: str, verdict: Verdict) -> None:
        """One step of page `path` has its verdict."""

    def run_finished(self, results: Sequence[PageResult]) -> None:
        """Every page is done."""


def describe(step: Step) -> str:
    """A one-line name for a step, the same in every report."""
    if isinstance(step, Command):
        return step.shown.split("\n", 1)[0]
    if isinstance(step, WriteFile):
        return f"write {step.path}"
    if isinstance(step, StartService):
        return f"start {step.name}: {step.shown.split(chr(10), 1)[0]}"
    assert isinstance(step, StopService)
    return f"stop {step.name}"


def kind(step: Step) -> str:
    """The step's kind, as reports name it."""
    return {Command: "command", WriteFile: "file", StartService: "start", StopService: "stop"}[
        type(step)
    ]
