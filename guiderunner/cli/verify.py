"""`runner list` and `runner verify`: plan every page first, then run them in order."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guiderunner.cli import pages, shards
from guiderunner.errors import ExitCode, UsageError
from guiderunner.model import PageResult, Plan
from guiderunner.report import Reporter
from guiderunner.report.terminal import TerminalReporter
from guiderunner.settings import Settings

if TYPE_CHECKING:
    from guiderunner.cli.recording import PageRecorder
    from guiderunner.run.lifecycle import PageOptions
    from guiderunner.store.cache import Pass, VerifyCache


def list_arguments(parser: argparse.ArgumentParser) -> None:
    """`list [PAGES]` and the page options."""
    pages.page_arguments(parser)


def list_command(args: argparse.Namespace) -> int:
    """Print each page's steps with their kind, line and options, the whole of each command.

    A bad page does not stop the list: each one is named on stderr, and the status is 2.
    """
    from guiderunner.report.text import step_lines

    settings = pages.settings_from(args)
    chosen = list(args.pages) or sorted(settings.docs_dir.rglob("*.md"))
    if not chosen:
        raise UsageError(f"no pages given and none in {settings.docs_dir}")
    bad = 0
    for page in chosen:
        try:
            plan = pages.plan_page(page, settings)
        except UsageError as error:
            print(f"runner: {error}", file=sys.stderr)
            bad += 1
            continue
        print(f"{plan.path}: {len(plan.steps)} steps")
        for number, step in enumerate(plan.steps, 1):
            first, *rest = step_lines(step)
            print(f"  {number:>3}  {step.span.start:>4}  {first}")
            print("".join(f"{'':17}{line}\n" for line in rest), end="")
    return ExitCode.USAGE if bad else ExitCode.OK


def verify_arguments(parser: argparse.ArgumentParser) -> None:
    """`verify [PAGES]`, the page options and the run's options."""
    pages.page_arguments(parser)
    parser.add_argument("--junit", type=Path, help="write a JUnit XML report")
    parser.add_argument("--json", type=Path, help="write the full result as JSON")
    parser.add_argument("--keep-going", action="store_true", help="run the steps after a failure")
    parser.add_argument("--keep-workspace", action="store_true", help="keep and print workspaces")
    parser.add_argument("-v", "--verbose", action="store_true", help="show output while it runs")
    parser.add_argument(
        "--until", type=pages.step_number, metavar="N", help="run steps 1 to N only"
    )
    parser.add_argument("--no-cache", action="store_true", help="run pages even when unchanged")
    parser.add_argument(
        "--as-reader", action="store_true", help="leave hidden blocks out: run what the site shows"
    )
    parser.add_argument(
        "--lang",
        default="en",
        metavar="{en,CODE,all}",
        help="verify the English pages, a configured translation built from them, or all",
    )
    parser.add_argument(
        "--record", type=Path, metavar="DIR", help="record each page's run as DIR/<page>.cast"
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=_workers,
        default=1,
        metavar="N",
        help="run up to N pages side by side, each whole in a process of its own",
    )
    shards.arguments(parser)


def verify_command(args: argparse.Namespace) -> int:
    """Plan every page (exit 2 before anything runs if one is invalid), then run them in order.

    A page whose content hash and tool versions are those of its last pass is not run again
    (guiderunner.store.cache), unless `--no-cache`; `--until` and `--keep-workspace` always run.
    """
    from guiderunner.cli import jobs
    from guiderunner.store import cache

    settings = pages.settings_from(args)
    plans = _with_steps(
        pages.plans(pages.chosen(args.lang, args.pages, settings), settings, reader=args.as_reader),
        named=bool(args.pages),
    )
    if settings.sample is not None and not settings.sample.is_dir():
        raise UsageError(f"sample folder not found: {settings.sample}")
    share = shards.scale(args, plans, settings)
    verified = cache.verify_cache(os.environ)
    prints: dict[str, dict[str, Any]] = {}  # each page's fingerprint, filled as pages run
    reporters = _reporters(args, dict(share.hashes), prints, verified.tools)
    options = pages.page_options(
        settings,
        reporters,
        keep_workspace=args.keep_workspace,
        echo=_echo if args.verbose else None,
    )
    run = _Run(args, settings, share, verified, prints=prints)
    if run.recorder is not None and args.jobs > 1:
        raise UsageError("--record runs the pages one at a time: leave out -j")
    steps = jobs.Steps(run.settled, run.run, run.ran)
    results = jobs.verify_pages(share.plans, args.jobs, options, share, steps)
    for reporter in reporters:
        reporter.run_finished(results)
    return ExitCode.OK if all(r.passed for r in results) else ExitCode.FAILED


class _Run:
    """One `runner verify`: each page carried over, taken from the cache, or run, in that order.

    The cache is used unless `--no-cache`; `--until` and `--keep-workspace` always run, and a
    page whose recording is missing runs under `--record`. Its three methods are the steps
    guiderunner.cli.jobs calls, one page after the other or side by side (`-j N`).
    """

    def __init__(
        self,
        args: argparse.Namespace,
        settings: Settings,
        share: shards.Scale,
        verified: VerifyCache,
        *,
        prints: dict[str, dict[str, Any]],
    ) -> None:
        self.args, self.settings, self.share, self.verified = args, settings, share, verified
        self.prints = prints
        self.use_cache = not (args.no_cache or args.until or args.keep_workspace)
        self.recorder = _recorder(args.record, settings, dict(share.hashes))

    def settled(self, plan: Plan) -> PageResult | None:
        """A carried-over or cached page's result, without running it; None: run it."""
        carried = self.share.carried(plan)
        if carried is not None:
            if self.recorder is not None:
                self.recorder.carried(plan, carried)
            self.prints[plan.path] = self.prints.get(carried.same_plan_as or "", {})
            return carried
        environment = self.fingerprint(plan) if self.use_cache else None
        hit = self._hit(plan, environment)
        if hit is None:
            return None
        print(f"cached: {plan.path} (passed at {hit.shown}, content unchanged)")
        self.prints[plan.path] = environment or {}
        result = PageResult(plan.path, (), 0.0, cached=hit.at)
        self.share.ran(result, to_the_end=False)
        return result

    def _hit(self, plan: Plan, environment: dict[str, Any] | None) -> Pass | None:
        if not environment:
            return None
        hit = self.verified.hit(Path(plan.path), self.share.hashes[plan.path], environment)
        if hit is not None and self.recorder is not None and not self.recorder.has(plan):
            return None  # run it: its recording is missing
        return hit

    def run(self, plan: Plan, options: PageOptions) -> PageResult:
        """Run the page (up to `--until`), recorded under `--record`."""
        from guiderunner.match import judge
        from guiderunner.run.lifecycle import run_page

        until, keep_going = self.args.until, self.args.keep_going
        cut = plan if until is None else replace(plan, steps=plan.steps[:until])
        if self.recorder is not None and until is None:
            return self.recorder.run(cut, options, judge, keep_going=keep_going)
        return run_page(cut, options, judge, keep_going=keep_going)

    def ran(self, plan: Plan, result: PageResult) -> None:
        """Remember a page that ran: its fingerprint, the cache, the shards' carry-over."""
        until, keep_going = self.args.until, self.args.keep_going
        environment = self.fingerprint(plan)  # an image it pulled is known now
        self.prints[plan.path] = environment
        if until is None:
            digest = self.share.hashes[plan.path]
            self.verified.remember(
                Path(plan.path), digest, passed=result.passed, environment=environment
            )
        self.share.ran(result, to_the_end=until is None and (result.passed or keep_going))

    def fingerprint(self, plan: Plan) -> dict[str, Any]:
        """Where the page runs (guiderunner.run.docker.fingerprint), as the report keeps it.

        A page without Docker has the empty one, without importing the module that asks.
        """
        if not plan.uses_docker:
            return {**NO_DOCKER, "images": []}
        from guiderunner.run.docker.fingerprint import page_fingerprint

        settings = self.settings
        found = page_fingerprint(plan, settings.sample, settings.builder, os.environ)
        return found.as_json()


NO_DOCKER: dict[str, Any] = dict.fromkeys(
    ("docker_client", "docker_server", "builder", "os", "arch")
)
"""The fingerprint of a page without Docker, less its empty `images` (its shape is held to
run.docker.fingerprint's by tests/unit/cli/test_lazy_imports.py)."""


def _workers(text: str) -> int:
    """`-j N`: a number of workers, 1 or more."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a number of workers (1 or more), got {text!r}")
    return int(text)


def _recorder(
    folder: Path | None, settings: Settings, hashes: dict[str, str]
) -> PageRecorder | None:
    """`--record DIR`: what records each page (not with `--until`, which runs part of one)."""
    if folder is None:
        return None
    from guiderunner.cli.recording import PageRecorder

    return PageRecorder(folder, settings, hashes)


def _with_steps(plans: list[Plan], *, named: bool) -> list[Plan]:
    """The pages that have something to verify; a named page without steps is an error."""
    empty = [plan for plan in plans if not plan.steps]
    if empty and named:
        raise UsageError(pages.nothing_to_verify(empty[0]))
    if empty:
        print(f"{len(empty)} page(s) with nothing to verify: {', '.join(p.path for p in empty)}")
    return [plan for plan in plans if plan.steps]


def _reporters(
    args: argparse.Namespace,
    hashes: dict[str, str],
    prints: dict[str, dict[str, Any]],
    tools: Mapping[str, str | None],
) -> list[Reporter]:
    reporters: list[Reporter] = [TerminalReporter()]
    from guiderunner.report import github

    if github.wanted(os.environ):
        reporters.append(github.GitHubAnnotations())
    if args.junit:
        from guiderunner.report.junit import JUnitReporter

        reporters.append(JUnitReporter(args.junit))
    if args.json:
        from guiderunner.report.json_report import JsonReporter

        reporters.append(JsonReporter(args.json, hashes, prints, tools))
    return reporters


def _echo(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
