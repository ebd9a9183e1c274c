"""`runner step`: a page run one step at a time in front of an audience, with catch-up.

Each step is shown under the nearest heading before it, and waits for a key: Enter runs it with
its output live, `s` skips it, `q` quits. The verdict (with the diff when it fails) follows,
and the next step comes. `--from N` first runs steps 1 to N-1 quietly, on one progress line,
so that a latecomer's shell has the same variables, folder, files and services as everyone
else's. It is the same shell and the same clean-up as `runner verify`: whatever way the session
ends (`q`, the last step, Ctrl-C), everything the page started is stopped. While it runs, the
session is recorded (runner.state), so that `runner reset` can clean up after a killed one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from runner.errors import ExitCode, UsageError
from runner.match import judge
from runner.model import Command, Plan, Step, StopService, Verdict
from runner.projector import Heading, Keys, LiveOutput, Screen, heading_before, headings
from runner.report import describe
from runner.report.terminal import failure_details
from runner.run.cleanup import docker_objects
from runner.run.execute import PageContext, observe, page_context
from runner.run.shell import new_nonce
from runner.run.workspace import scratch_workspace
from runner.state import Session, close_session, open_session, save_session


@dataclass(frozen=True, slots=True)
class StepSettings:
    """What a step session needs from the settings and the command line."""

    sample: Path | None
    """The sample solution copied into the workspace."""
    base_env: Mapping[str, str]
    """The runner's environment."""
    extra_env: Mapping[str, str]
    """Variables every page's shell gets."""
    start: int
    """The first step shown (1-based); the steps before it are caught up quietly."""
    state: Path
    """Where the running session is recorded for `runner reset`."""


def check_start(plan: Plan, start: int) -> None:
    """`--from N` must name a step of the page."""
    if not 1 <= start <= len(plan.steps):
        raise UsageError(f"--from {start}: {plan.path} has steps 1 to {len(plan.steps)}")


# --- the session -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Running:
    """A page's session, open between steps."""

    context: PageContext
    """Workspace, shell and services."""
    after_step: Callable[[], None]
    """Called after each step: records the Docker objects the page has created so far."""


@contextmanager
def page_session(plan: Plan, settings: StepSettings, live: LiveOutput) -> Iterator[Running]:
    """A workspace, a shell and services for the page, recorded while they live.

    The same set-up and clean-up as runner.run.execute, held open between steps.
    """
    nonce = new_nonce()
    with ExitStack() as stack:
        workspace = stack.enter_context(scratch_workspace(settings.sample, keep=False))
        session = open_session(settings.state, nonce, workspace)
        stack.callback(close_session, settings.state, nonce)
        context = stack.enter_context(
            page_context(
                plan, workspace, settings.base_env, settings.extra_env, echo=live, nonce=nonce
            )
        )
        notes = _docker_notes(session, settings.state) if plan.uses_docker else _nothing
        yield Running(context, notes)


def _docker_notes(session: Session, state: Path) -> Callable[[], None]:
    """Record the containers and networks created since now, each time it is called."""
    before = docker_objects()

    def note() -> None:
        containers, networks = docker_objects()
        save_session(
            state,
            replace(
                session,
                containers=tuple(sorted(containers - before[0])),
                networks=tuple(sorted(networks - before[1])),
            ),
        )

    return note


def _nothing() -> None:
    return None


def run_step(step: Step, running: Running) -> Verdict:
    """Run one step in the session and judge it."""
    verdict = judge(observe(step, running.context))
    running.after_step()
    return verdict


# --- presenting ------------------------------------------------------------------------------


def step_page(plan: Plan, text: str, settings: StepSettings, keys: Keys, out: TextIO) -> ExitCode:
    """Present the page from step `settings.start`, after catching up on the steps before it."""
    screen, live, found = Screen(out), LiveOutput(out), headings(text)
    outcomes: list[str] = []
    with page_session(plan, settings, live) as running:
        if not catch_up(plan, settings.start, running, screen):
            return ExitCode.FAILED
        for number in range(settings.start, len(plan.steps) + 1):
            outcome = present_step(plan, number, running, Presenter(keys, screen, live, found))
            if outcome is None:
                break
            outcomes.append(outcome)
        screen.say(_summary(outcomes, quit_=len(outcomes) < len(plan.steps) - settings.start + 1))
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


def present_step(plan: Plan, number: int, running: Running, presenter: Presenter) -> str | None:
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
        verdict = run_step(step, running)
    finally:
        presenter.live.on = False
    screen.result(verdict, shown_live=isinstance(step, Command))
    return verdict.outcome


def catch_up(plan: Plan, start: int, running: Running, screen: Screen) -> bool:
    """Run steps 1 to start-1 quietly; False (with the reason shown) at the first failure."""
    if start <= 1:
        return True
    began = time.perf_counter()
    for number, step in enumerate(plan.steps[: start - 1], 1):
        screen.progress(f"catching up: step {number} of {start - 1}  {describe(step)}")
        verdict = run_step(step, running)
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
