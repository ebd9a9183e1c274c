"""`runner step`: a page run one step at a time in front of an audience, with catch-up.

Each step is shown under the nearest heading before it, and waits for a key: Enter runs it with
its output live, `s` skips it, `q` quits. The verdict (with the diff when it fails) follows,
and the next step comes. `--from N` first runs steps 1 to N-1 quietly, on one progress line,
so that a latecomer's shell has the same variables, folder, files and services as everyone
else's. The page lives in the same runner.run.lifecycle.PageRun as under `runner verify`:
whatever way the session ends (`q`, the last step, Ctrl-C), everything the page started is
stopped, and while it runs it is recorded for `runner reset`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from runner.errors import ExitCode, UsageError
from runner.markdown import Heading, headings
from runner.match import judge
from runner.model import Command, Plan, StopService
from runner.presenter.screen import Keys, LiveOutput, Screen, heading_before
from runner.report.text import describe, failure_details
from runner.run.lifecycle import PageOptions, PageRun


def check_start(plan: Plan, start: int) -> None:
    """`--from N` must name a step of the page."""
    if not 1 <= start <= len(plan.steps):
        raise UsageError(f"--from {start}: {plan.path} has steps 1 to {len(plan.steps)}")


# --- presenting ------------------------------------------------------------------------------


def step_page(  # noqa: PLR0917 (each is a different thing the presenter needs)
    plan: Plan, text: str, options: PageOptions, start: int, keys: Keys, live: LiveOutput
) -> ExitCode:
    """Present the page from step `start`, after catching up on the steps before it.

    `options.echo` should be `live`, so the shell's output shows while a chosen step runs.
    """
    screen, found = Screen(live.out), headings(text)
    outcomes: list[str] = []
    with PageRun(plan, options, judge) as running:
        if not catch_up(plan, start, running, screen):
            return ExitCode.FAILED
        for number in range(start, len(plan.steps) + 1):
            outcome = present_step(plan, number, running, Presenter(keys, screen, live, found))
            if outcome is None:
                break
            outcomes.append(outcome)
        screen.say(_summary(outcomes, quit_=len(outcomes) < len(plan.steps) - start + 1))
    return ExitCode.FAILED if {"failed", "error"} & set(outcomes) else ExitCode.OK


@dataclass(frozen=True, slots=True)
class Presenter:
    """What presenting a step needs besides the step: keys, screen, live output, headings."""

    keys: Keys
    """Where the presenter's answers come from."""
    screen: Screen
    """Where everything is shown."""
    live: LiveOutput
    """Switched on while a step runs."""
    headings: tuple[Heading, ...]
    """The page's headings."""


def present_step(plan: Plan, number: int, running: PageRun, presenter: Presenter) -> str | None:
    """Show one step, wait for a key, run or skip it; its outcome, or None to quit."""
    step, screen = plan.steps[number - 1], presenter.screen
    heading = heading_before(presenter.headings, step.span.start)
    screen.header(number, len(plan.steps), step, heading)
    reason = step.skip
    if isinstance(step, StopService) and step.name not in running.context.services:
        reason = reason or f"service {step.name!r} is not running"
    if reason is not None:
        screen.mark("skipped", reason)
        return "skipped"
    presenter.keys.discard()
    screen.block(step)
    choice = presenter.keys.read()
    if choice == "quit":
        return None
    if choice == "skip":
        screen.mark("skipped", "skipped by the presenter")
        return "skipped"
    presenter.live.on = True
    try:
        verdict = running.step(step)
    finally:
        presenter.live.on = False
    screen.result(verdict, shown_live=isinstance(step, Command))
    return verdict.outcome


def catch_up(plan: Plan, start: int, running: PageRun, screen: Screen) -> bool:
    """Run steps 1 to start-1 quietly; False (with the reason shown) at the first failure."""
    if start <= 1:
        return True
    began = time.perf_counter()
    for number, step in enumerate(plan.steps[: start - 1], 1):
        screen.progress(f"catching up: step {number} of {start - 1}  {describe(step)}")
        verdict = running.step(step)
        if verdict.outcome in ("failed", "error"):
            screen.progress(None)
            screen.say(f"catch-up stopped at step {number} ({step.span}): {verdict.message}")
            screen.say(failure_details(verdict).rstrip("\n"))
            return False
    screen.progress(f"caught up: steps 1 to {start - 1} in {time.perf_counter() - began:.1f}s")
    screen.progress(None)
    return True


def _summary(outcomes: list[str], *, quit_: bool) -> str:
    counts = ", ".join(f"{outcomes.count(o)} {o}" for o in ("passed", "failed", "error", "skipped"))
    ending = "quit" if quit_ else "end of the page"
    return f"\n{ending}: {counts}; everything the page started is stopped"
