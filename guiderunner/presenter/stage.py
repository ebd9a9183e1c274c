"""`runner step` on a terminal: the projector's loop, one step per screen.

A step not run yet shows its prose, note and command; next (Enter, Space, Right) runs it, and
its output comes on the same screen; next again shows the following step. Left goes back to a
step already done and shows its command and recorded output, without running it again; `g N`
goes to step N and `/TEXT` to the next step that mentions TEXT, running the steps before it
quietly first when it lies ahead, so the page's shell is where the page says. After a failure
the menu of guiderunner.presenter.session comes (retry, live shell, skip, go on, quit). The
last step's verdict ends the session, the screen left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from guiderunner.errors import ExitCode
from guiderunner.match import judge, normalise
from guiderunner.model import NOT_PASSING, Plan, Verdict
from guiderunner.presenter import keys
from guiderunner.presenter.deck import Slide, target
from guiderunner.presenter.projector import Projector
from guiderunner.presenter.screen import block_lines
from guiderunner.presenter.session import Presenter, before_retry, catch_up, open_shell, summary
from guiderunner.presenter.timings import shown
from guiderunner.run.lifecycle import PageOptions, PageRun
from guiderunner.run.shell.relay import ESCAPE_NAME

READY = (
    "[Enter] run",
    f"[o] live shell ({ESCAPE_NAME} returns)",
    "[s] skip",
    "[q] quit",
    "[?] keys",
    "[Left] back",
    "[g] goto",
    "[/] search",
)
"""The footer of a step not run yet, the most needed keys first (as many as fit are shown)."""
RECORDED_LINES = 200  # of a step's output, drawn again on its screen


@dataclass(frozen=True, slots=True)
class Done:
    """A step done in this session: its outcome, and its verdict when it ran."""

    outcome: str
    verdict: Verdict | None = None
    reason: str = ""


def step_page(
    plan: Plan, options: PageOptions, start: int, presenter: Presenter, deck: tuple[Slide, ...]
) -> ExitCode:
    """Present the page on the projector from step `start`, after catching up."""
    assert isinstance(presenter.screen, Projector)
    with PageRun(plan, options, judge) as running:
        if not catch_up(plan, start, running, presenter.screen):
            return ExitCode.FAILED
        stage = Stage(plan, running, presenter, deck, start)
        presenter.screen.redraw = stage.redraw
        try:
            stage.play()
        finally:  # Ctrl-C too: the whole terminal scrolls again
            presenter.screen.finish()
        outcomes = [stage.done[n].outcome for n in sorted(stage.done)]
        quit_ = stage.quit or stage.frontier <= len(plan.steps)
        presenter.screen.say(summary(outcomes, quit_=quit_))
    return ExitCode.FAILED if NOT_PASSING & set(outcomes) else ExitCode.OK


@dataclass(slots=True)
class Stage:
    """Where the presentation stands: the step on screen, the first step not done yet."""

    plan: Plan
    running: PageRun
    presenter: Presenter
    deck: tuple[Slide, ...]
    view: int
    frontier: int = 0
    quit: bool = False
    done: dict[int, Done] = field(default_factory=dict)
    fresh: bool = False  # the screen already shows the step on view, with its output
    message: str = ""  # said under the next screen's command (a search that found nothing)
    failing: Verdict | None = None  # the verdict of the step on view while its menu is open

    def __post_init__(self) -> None:
        self.frontier = self.view

    @property
    def screen(self) -> Projector:
        """The projector (step_page checked it is one)."""
        assert isinstance(self.presenter.screen, Projector)
        return self.presenter.screen

    def play(self) -> None:
        """Until `q` or past the last step."""
        while not self.quit and self.view <= len(self.plan.steps):
            if self.view == self.frontier:
                self.pending()
            else:
                self.review()

    def redraw(self) -> None:
        """The step on view again, with its recorded output when it is done."""
        number = self.view
        done = self.done.get(number)
        if done is None and self.failing is not None:
            done = Done(self.failing.outcome, self.failing)
        footer = READY if done is None else self._done_footer(number)
        step = self.plan.steps[number - 1]
        self.screen.draw(self._header(number), self.deck[number - 1], block_lines(step))
        if self.message:
            self.screen.say(self.message)
            self.message = ""
        if done is not None:
            self._recorded(done)
        self.screen.footer(footer)

    def _header(self, number: int) -> str:
        step, slide = self.plan.steps[number - 1], self.deck[number - 1]
        parts = [f"--- step {number} of {len(self.plan.steps)}", slide.heading, str(step.span)]
        expected = self.presenter.expected[number - 1] if self.presenter.expected else None
        if expected is not None and expected.step is not None:
            parts.append(f"last run {shown(expected.step)}")
        return " | ".join(p for p in parts if p) + " ---"

    def _done_footer(self, number: int) -> tuple[str, ...]:
        total = len(self.plan.steps)
        then = f"next: step {number + 1} of {total}" if number < total else "end"
        more = ("[g] goto", "[/] search", "[o] live shell")
        return (f"[Enter] {then}", "[Left] back", "[q] quit", "[?] keys", *more)

    def _recorded(self, done: Done) -> None:
        if done.verdict is None:
            self.screen.mark("skipped", done.reason)
            return
        output = normalise(done.verdict.observation.output)[-RECORDED_LINES:]
        if output:
            self.screen.say("\n".join(output))
        self.screen.result(done.verdict, shown_live=True)

    def ask(self) -> str:
        """The next key's action ("next", "back", ...), after the keys typed ahead are dropped."""
        self.presenter.keys.discard()
        while True:
            found = keys.action(self._key())
            if found is not None:
                return found

    def _key(self) -> str:
        terminal = self.presenter.terminal
        return "eof" if terminal is None else keys.read_key(terminal)

    def common(self, action: str) -> bool:
        """Keys every screen answers (back, goto, search, help, open, quit); True if handled."""
        if action == "quit":
            self.quit = True
        elif action == "back":
            if self.view - 1 not in self.done:
                return True
            self.view -= 1
        elif action in ("goto", "search"):
            before, target = self.view, self._target(action)
            if target is not None:
                self.jump(target)
            if self.view == before:
                self.redraw()
            return True
        elif action == "help":
            self.screen.overlay()
            self._key()
            self.redraw()
            return True
        elif action == "open":
            open_shell(self.running, self.presenter)
            return True
        else:
            return False
        self.fresh = False
        return True

    def _target(self, action: str) -> int | None:
        assert self.presenter.terminal is not None
        label = "go to step: " if action == "goto" else "search: "
        typed = keys.read_line(self.presenter.terminal, lambda t: self.screen.prompt(label, t))
        found, self.message = target(self.plan, self.deck, action, typed, self.view)
        return found

    def pending(self) -> None:
        """The first step not done: shown, then run, skipped, or left for another."""
        number = self.view
        step = self.plan.steps[number - 1]
        reason = step.skip
        if step.stops is not None and step.stops not in self.running.context.services:
            reason = reason or f"service {step.stops!r} is not running"
        self.redraw()
        if reason is not None:
            self._skipped(number, reason)
            return
        while not self.quit and self.view == number and self.frontier == number:
            action = self.ask()
            if action == "next":
                self.run(number)
            elif action == "skip":
                self._skipped(number, "skipped by the presenter")
            else:
                self.common(action)

    def review(self) -> None:
        """A step done: its screen with its recorded output; next moves on."""
        if not self.fresh:
            self.redraw()
        self.fresh = False
        number = self.view
        while not self.quit and self.view == number:
            action = self.ask()
            if action == "next":
                self.view += 1
            else:
                self.common(action)

    def jump(self, target: int) -> None:
        """To step `target`: the steps before it that are not done run quietly first."""
        while self.frontier < target and not self.quit:
            number, step = self.frontier, self.plan.steps[self.frontier - 1]
            self.screen.progress(f"running step {number} on the way to step {target}")
            verdict = self.running.step(step)
            self.screen.progress(None)
            if verdict.did_not_pass:
                self.view = number
                self.redraw()
                self.screen.result(verdict, shown_live=False)
                self.settle(number, verdict)
                return
            self.done[number] = Done(verdict.outcome, verdict)
            self.frontier += 1
        self.view = target
        self.fresh = False

    def run(self, number: int) -> None:
        """Run the step with its output live, then settle a failure."""
        verdict = self._live(number)
        self.settle(number, verdict)

    def _live(self, number: int) -> Verdict:
        step = self.plan.steps[number - 1]
        self.presenter.live.on = True
        try:
            verdict = self.running.step(step)
        finally:
            self.presenter.live.on = False
        self.screen.result(verdict, shown_live=step.live)
        return verdict

    def settle(self, number: int, verdict: Verdict) -> None:
        """After a run: a failure asks what now (retry, live shell, skip, go on, quit)."""
        while verdict.did_not_pass:
            self.failing = verdict
            self.screen.menu()
            action = self.ask()
            if action in ("next", "skip", "quit"):
                self.failing = None
            if action == "next":  # Enter: go on, the step stays failed
                self._record(number, Done(verdict.outcome, verdict))
                self.view = number + 1
                return
            if action == "skip":
                self._skipped(number, "skipped by the presenter")
                return
            if action == "quit":
                self._record(number, Done(verdict.outcome, verdict))
                self.quit = True
                return
            if action == "retry":
                before_retry(self.plan.steps[number - 1], self.running, self.screen)
                verdict = self._live(number)
            elif action == "open":
                open_shell(self.running, self.presenter)
        self.failing = None
        self._record(number, Done(verdict.outcome, verdict))
        self.fresh = True
        if self.view == number:
            self.screen.footer(self._done_footer(number))

    def _record(self, number: int, done: Done) -> None:
        self.done[number] = done
        self.frontier = max(self.frontier, number + 1)
        if number == len(self.plan.steps):
            self.view = number + 1  # the last step's verdict ends the session

    def _skipped(self, number: int, reason: str) -> None:
        self.screen.mark("skipped", reason)
        self._record(number, Done("skipped", None, reason))
        self.view = number + 1
