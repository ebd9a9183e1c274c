"""`pytest --guides docs/`: each page a test file, each step a test, run by the one PageRun.

Shipped with the package (entry point `pytest11`), and idle unless `--guides` is given, so a
project's own test suite never collects its guides by accident.

Why one item per step, not one item per page with sub-reports: pytest then counts, selects
(`-k`, `--lf`), times and writes to `--junitxml` every step as a test of its own, with no
sub-report plugin, and each failure is reported at the step's `file:line`. The steps of a page
share a shell, so the page itself is the collector that owns the PageRun: pytest sets a
collector up before its first item and tears it down after its last (SetupState), which is
exactly a page's life. Under `pytest -n auto --dist loadgroup` every step of a page carries the
page's `xdist_group`, so a page never has its steps on two workers.

The page runs with the options `runner verify` uses (guiderunner.cli.pages.page_options) and the
same judge; after a failed step the rest of the page is skipped, as `runner verify` does.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from guiderunner.model import Plan, Step, Verdict
    from guiderunner.run.lifecycle import PageRun
    from guiderunner.settings import Settings

OPTION = "--guides"


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--guides`: collect the Markdown pages given (or found under the folders given)."""
    group = parser.getgroup("runner", "documentation pages run by the runner")
    group.addoption(
        OPTION,
        action="store_true",
        default=False,
        help="collect Markdown guides (*.md) as tests: one per step, run by the runner",
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> GuidePage | None:
    """A Markdown page is a test file when `--guides` is given; nothing else changes."""
    if file_path.suffix != ".md" or not parent.config.getoption(OPTION):
        return None
    page: GuidePage = GuidePage.from_parent(parent, path=file_path)
    return page


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A skipped step is reported at its own `file:line`, not at this module's `pytest.skip`."""
    report = yield
    if isinstance(item, GuideStep) and report.skipped and isinstance(report.longrepr, tuple):
        _, _, reason = report.longrepr
        report.longrepr = (str(item.path), item.step.span.start, reason)
    return report


ID_WIDTH = 60
"""The longest command an id carries; ids stay readable in a terminal line."""


def step_id(step: Step, used: set[str]) -> str:
    """A step's test name: its line and its command (`L16 docker build -t x .`), unique.

    The line keeps ids apart and stable while the page above is unchanged; the command makes
    `-k curl` select the steps that run curl. `::` (pytest's separator) and runs of spaces
    are folded so that a node id can be typed back.
    """
    summary = " ".join(step.summary.replace("$ ", "", 1).replace("::", ":").split())
    if len(summary) > ID_WIDTH:
        summary = summary[: ID_WIDTH - 3].rstrip() + "..."
    base = f"L{step.span.start} {summary}".rstrip()
    name, count = base, 1
    while name in used:
        count += 1
        name = f"{base} #{count}"
    used.add(name)
    return name


def pytest_report_collectionfinish(
    config: pytest.Config, start_path: Path, items: Sequence[pytest.Item]
) -> list[str]:
    """Say, per page whose steps were not all selected, what runs first as setup."""
    chosen: dict[GuidePage, list[GuideStep]] = {}
    for item in items:
        if isinstance(item, GuideStep):
            chosen.setdefault(item.page, []).append(item)
    lines = []
    for page, steps in chosen.items():
        total = len(page.plan.steps)
        if len(steps) == total:
            continue
        last = max(step.number for step in steps)
        setup = last - len(steps)
        lines.append(
            f"{page.plan.path}: {len(steps)} of {total} steps selected; {setup} earlier "
            "step(s) run first as setup, not reported"
        )
    return lines


class StepFailed(Exception):
    """A step that did not pass: carries its verdict for the report."""

    def __init__(self, verdict: Verdict, *, setup: bool = False) -> None:
        super().__init__(verdict.message)
        self.verdict = verdict
        self.setup = setup
        """True when an earlier step, run as this one's setup, is the one that failed."""


class GuidePage(pytest.File):
    """A page: planned at collection, run in one PageRun from its first step to its last."""

    _stack: ExitStack
    _run: PageRun | None
    _failed_at: str | None
    _next: int
    """How many of the page's steps have run (or were skipped by a failure) so far."""

    def collect(self) -> Iterator[GuideStep]:
        """One item per step, each in the page's xdist group."""
        plan = self._plan()
        group = pytest.mark.xdist_group(plan.path)
        # xdist groups by the `@group` end of a node id. xdist 3.8 adds it by writing
        # `item._nodeid`, which pytest 9 no longer reads, so on a worker with loadgroup the
        # step's own name carries it: the page is one group whatever the versions.
        suffix = f"@{plan.path}" if getattr(self.config.option, "loadgroup", False) else ""
        used: set[str] = set()
        for number, step in enumerate(plan.steps, 1):
            name = step_id(step, used)
            item: GuideStep = GuideStep.from_parent(
                self, name=f"{name}{suffix}", step=step, number=number
            )
            item.add_marker(group)
            yield item

    def _plan(self) -> Plan:
        from guiderunner.cli import pages
        from guiderunner.errors import UsageError

        try:
            self.settings = _settings(self.path)
            text = pages.read(self.path)
            self.plan = pages.planned(pages.shown(self.path), text, self.settings)
        except UsageError as error:  # GuideError is one: path:line and the reason
            raise self.CollectError(str(error)) from None
        sample = self.settings.sample
        if sample is not None and not sample.is_dir():
            raise self.CollectError(f"sample folder not found: {sample}")
        return self.plan

    def setup(self) -> None:
        """Nothing yet: the PageRun starts with the first step, so a deselected page costs 0."""
        self._stack = ExitStack()
        self._run = None
        self._failed_at = None
        self._next = 0

    def teardown(self) -> None:
        """Leave the PageRun: services, shell, processes, containers, workspace."""
        self._stack.close()

    def page_run(self) -> PageRun:
        """The page's PageRun, entered at its first step."""
        if self._run is None:
            from guiderunner.cli import pages
            from guiderunner.match import judge
            from guiderunner.run.lifecycle import PageRun

            options = pages.page_options(self.settings, ())
            self._run = self._stack.enter_context(PageRun(self.plan, options, judge))
        return self._run

    def run_step(self, number: int, step: Step) -> Verdict:
        """Run step `number`, after the page's earlier steps not run yet (as its setup).

        A selected step (`-k curl`, a node id) needs the state the steps before it leave, so
        they run first, unreported. After a failure the later steps are skipped (fail-fast,
        as verify), each with its own skip reason when its block has one.
        """
        if step.skip is not None:
            pytest.skip(step.skip)
        if self._failed_at is not None:
            from guiderunner.model import not_run

            pytest.skip(not_run(self._failed_at))
        try:
            run = self.page_run()
        except BaseException:
            self._failed_at = str(step.span)  # the page could not start: no step will
            raise
        for earlier in self.plan.steps[self._next : number - 1]:
            verdict = run.step(earlier)
            if verdict.did_not_pass:
                self._failed_at = str(earlier.span)
                raise StepFailed(verdict, setup=True)
        self._next = max(self._next, number)
        verdict = run.step(step)
        if verdict.did_not_pass:
            self._failed_at = str(step.span)
        return verdict


class GuideStep(pytest.Item):
    """One step of a page: passes, fails with the runner's diff, or is skipped."""

    def __init__(self, *, step: Step, number: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.step = step
        self.number = number

    @property
    def page(self) -> GuidePage:
        """The page this step belongs to."""
        assert isinstance(self.parent, GuidePage)
        return self.parent

    def runtest(self) -> None:
        """Run the step in the page's shell and raise unless it passed."""
        verdict = self.page.run_step(self.number, self.step)
        if verdict.outcome == "skipped":
            pytest.skip(verdict.message)
        if verdict.outcome != "passed":
            raise StepFailed(verdict)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The runner's own failure text: where, why, the command, the diff, the output tail."""
        from guiderunner.errors import MissingPiece, UsageError

        if isinstance(excinfo.value, StepFailed):
            from guiderunner.report.text import failure_details

            details = failure_details(excinfo.value.verdict)
            if excinfo.value.setup:
                where = excinfo.value.verdict.step.span
                return f"an earlier step, run as this one's setup, failed at {where}\n{details}"
            return details
        if isinstance(excinfo.value, MissingPiece | UsageError):  # one line, as `runner` says it
            return f"{self.step.span}: runner: {excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        """`file:line` of the step (pytest counts lines from 0) and its one-line name."""
        from guiderunner.report.text import describe, kind

        return self.path, self.step.span.start - 1, f"{kind(self.step)}: {describe(self.step)}"


_SETTINGS: dict[Path | None, Settings] = {}


def _settings(page: Path) -> Settings:
    """The settings `runner verify PAGE` would use: the nearest mkdocs.yml, then RUNNER_*."""
    from guiderunner.settings import find_config, load_settings

    config = find_config(page.resolve().parent)
    if config not in _SETTINGS:
        _SETTINGS[config] = load_settings(config)
    return _SETTINGS[config]
