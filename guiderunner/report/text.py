"""Report text every reporter, the presenter and `runner list` share: one place says it once."""

from __future__ import annotations

from guiderunner.match.show import CUT, LIMIT
from guiderunner.model import Step, Verdict

TAIL = 15  # lines of output shown under a failure
MARKS = {"passed": "PASS", "failed": "FAIL", "skipped": "SKIP", "error": "ERR"}
"""Each outcome's mark, the same in the terminal report and the presenter."""


def describe(step: Step) -> str:
    """A one-line name for a step, the same in every report."""
    return step.summary


def kind(step: Step) -> str:
    """The step's kind, as reports name it."""
    return step.KIND


def step_summary(step: Step) -> str:
    """One line of `runner list`: the step's kind, what it does, and options that change it."""
    notes = [f"skip: {step.skip}"] if step.skip else []
    notes += step.notes
    suffix = f"  ({', '.join(notes)})" if notes else ""
    return f"{kind(step):<7}  {describe(step)}{suffix}"


def step_lines(step: Step) -> list[str]:
    """`step_summary`, then the rest of a multi-line command, as `runner list` shows it."""
    return [step_summary(step), *step.typed_lines[1:]]


def failure_details(verdict: Verdict) -> str:
    """The command, why it failed, the diff, and the tail of its output, indented."""
    step, observation = verdict.step, verdict.observation
    lines = [f"    at {step.span}: {verdict.message}"]
    if step.live:
        lines += ["    command:", *(f"      {line}" for line in step.typed_lines)]
    if verdict.diff:
        lines += ["    diff (expected -> actual):", *(f"      {line}" for line in verdict.diff)]
    output = observation.output.replace("\r\n", "\n").rstrip("\n").split("\n")
    if observation.output.strip():
        shown = output[-TAIL:]
        lines.append(f"    output (last {len(shown)} of {len(output)} lines):")
        lines += [f"      | {_clip(line)}" for line in shown]
    if observation.status is not None:
        lines.append(f"    exit status: {observation.status}")
    return "\n".join(lines) + "\n"


def _clip(line: str) -> str:
    """A long output line cut to stay readable, saying how long it was."""
    if len(line) <= LIMIT:
        return line
    return f"{line[:LIMIT]}{CUT} ({len(line)} characters)"
