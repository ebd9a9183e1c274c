"""`runner step`: a page run one step at a time in front of an audience, with catch-up.

Each step is shown under the nearest heading before it, with how long its section and itself
took in the last run of this very page (guiderunner.presenter.timings), and waits for a key: Enter
runs it with its output live, `s` skips it, `q` quits, `o` opens the page's live shell. The
verdict (with the diff when it fails) follows, and the next step comes.

A failed step (failed or error) asks what now: `o` hands the page's own bash to the presenter
(run.shell.interact: same folder, variables and jobs; Ctrl-] comes back), `r` runs the step
again (a service that failed to start is stopped first), `s` records it as skipped by the
presenter, Enter goes on with the step failed, `q` quits.

`--from N` first runs steps 1 to N-1 quietly, on one progress line, so that a latecomer's
shell has the same variables, folder, files and services as everyone else's. The page lives
in the same guiderunner.run.lifecycle.PageRun as under `runner verify`: whatever way the session
ends (`q`, the last step, Ctrl-C), everything the page started is stopped, and while it runs
it is recorded for `runner reset`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass

from guiderunner.errors import ExitCode, UsageError
from guiderunner.markdown import Heading
from guiderunner.match import judge
from guiderunner.model import NOT_PASSING, Plan, Step, Verdict
from guiderunner.presenter.screen import (
    AFTER_FAILURE,
    BEFORE,
    Choice,
    Keys,
    LiveOutput,
    Screen,
    heading_before,
)
from guiderunner.presenter.timings import Expected
from guiderunner.report.text import describe, failure_details
from guiderunner.run.lifecycle import PageOptions, PageRun
from guiderunner.run.shell.interact import NotHandedOver, live_shell
from guiderunner.run.shell.relay import Ended
from guiderunner.run.shell.session import ShellDied


def check_start(plan: Plan, start: int) -> None:
    """`--from N` must name a step of the page."""
    if not 1 <= start <= len(plan.steps):
        raise UsageError(f"--from {start}: {plan.path} has steps 1 to {len(plan.steps)}")


# --- presenting ------------------------------------------------------------------------------


def step_page(plan: Plan, options: PageOptions, start: int, presenter: Presenter) -> ExitCode:
    """Present the page from step `start`, after catching up on the steps before it.

    `options.echo` should be `presenter.live`, so the shell's output shows while a step runs.
    """
    screen = presenter.screen
    outcomes: list[str] = []
    go_on = True
    with PageRun(plan, options, judge) as running:
        if not catch_up(plan, start, running, screen):
            return ExitCode.FAILED
        for number in range(start, len(plan.steps) + 1):
            outcome, go_on = present_step(plan, number, running, presenter)
            if outcome is not None:
                outcomes.append(outcome)
            if not go_on:
                break
        quit_ = len(outcomes) < len(plan.steps) - start + 1 or not go_on
        screen.say(summary(outcomes, quit_=quit_))
    return ExitCode.FAILED if NOT_PASSING & set(outcomes) else ExitCode.OK


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
    terminal: int | None = None
    """The presenter's terminal (stdin) for the live shell; None when stdin is not one."""
    expected: tuple[Expected, ...] | None = None
    """Each step's times in the last run of this very page (guiderunner.presenter.timings)."""


def present_step(
    plan: Plan, number: int, running: PageRun, presenter: Presenter
) -> tuple[str | None, bool]:
    """Show one step, wait for a key, run or skip it: its outcome, and whether to go on."""
    step, screen = plan.steps[number - 1], presenter.screen
    heading = heading_before(presenter.headings, step.span.start)
    expected = presenter.expected[number - 1] if presenter.expected else None
    screen.header(number, len(plan.steps), step, heading, expected)
    reason = step.skip
    if step.stops is not None and step.stops not in running.context.services:
        reason = reason or f"service {step.stops!r} is not running"
    if reason is not None:
        screen.mark("skipped", reason)
        return "skipped", True
    screen.block(step)
    choice = ask(presenter, running, BEFORE)
    while choice in ("run", "retry"):
        verdict = _run(step, running, presenter)
        if not verdict.did_not_pass:
            return verdict.outcome, True
        screen.menu()
        choice = ask(presenter, running, AFTER_FAILURE, again=screen.menu)
        if choice == "run":  # Enter: go on, the step stays failed
            return verdict.outcome, True
        if choice == "quit":
            return verdict.outcome, False
        if choice == "retry":
            before_retry(step, running, screen)
    if choice == "quit":
        return None, False
    screen.mark("skipped", "skipped by the presenter")
    return "skipped", True


def ask(
    presenter: Presenter,
    running: PageRun,
    allowed: Collection[Choice],
    again: Callable[[], None] | None = None,
) -> Choice:
    """The presenter's answer; `o` opens the live shell, then the question comes again."""
    while True:
        presenter.keys.discard()  # keys pressed while a step ran are not answers
        choice = presenter.keys.read(allowed)
        if choice != "open":
            return choice
        open_shell(running, presenter)
        (again or (lambda: presenter.screen.keys(allowed)))()


def open_shell(running: PageRun, presenter: Presenter) -> None:
    """Hand the page's shell to the presenter until Ctrl-] (guiderunner.run.shell.interact)."""
    screen, context = presenter.screen, running.context
    if context.dead is not None:
        screen.say(f"the page's shell is gone: {context.dead}")
        return
    if presenter.terminal is None:
        screen.say("the live shell needs a terminal: stdin is not one")
        return
    screen.live_shell()
    try:
        handover = live_shell(
            context.shell,
            presenter.terminal,
            presenter.live.out.fileno(),
            context.shell_states / "presenter.sh",
        )
    except ShellDied as died:
        context.dead = str(died)
        screen.say(f"the live shell could not open: {died}")
        return
    except NotHandedOver as why:
        screen.say(f"the live shell could not open: {why}")
        return
    if handover.ended is Ended.CLOSED:
        context.dead = "the page's shell exited in the live shell"
    screen.back(handover.notes)


def _run(step: Step, running: PageRun, presenter: Presenter) -> Verdict:
    """Run the step with its output live, and show the verdict."""
    presenter.live.on = True
    try:
        verdict = running.step(step)
    finally:
        presenter.live.on = False
    presenter.screen.result(verdict, shown_live=step.live)
    return verdict


def before_retry(step: Step, running: PageRun, screen: Screen) -> None:
    """A service that failed to start is stopped before it starts again."""
    screen.say("\nretrying the step")
    if step.starts is not None and step.starts in running.context.services:
        screen.say(f"stopping the half-started service {step.starts!r} first")
        running.context.services.pop(step.starts).stop()


def catch_up(plan: Plan, start: int, running: PageRun, screen: Screen) -> bool:
    """Run steps 1 to start-1 quietly; False (with the reason shown) at the first failure."""
    if start <= 1:
        return True
    began = time.perf_counter()
    for number, step in enumerate(plan.steps[: start - 1], 1):
        screen.progress(f"catching up: step {number} of {start - 1}  {describe(step)}")
        verdict = running.step(step)
        if verdict.did_not_pass:
            screen.progress(None)
            screen.say(f"catch-up stopped at step {number} ({step.span}): {verdict.message}")
            screen.say(failure_details(verdict).rstrip("\n"))
            return False
    screen.progress(f"caught up: steps 1 to {start - 1} in {time.perf_counter() - began:.1f}s")
    screen.progress(None)
    return True


def summary(outcomes: list[str], *, quit_: bool) -> str:
    """The last line: how many steps passed, failed, ...; quit or the end of the page."""
    counts = ", ".join(f"{outcomes.count(o)} {o}" for o in ("passed", "failed", "error", "skipped"))
    ending = "quit" if quit_ else "end of the page"
    return f"\n{ending}: {counts}; everything the page started is stopped"
