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
    shards.arguments(parser)


def verify_command(args: argparse.Namespace) -> int:
    """Plan every page (exit 2 before anything runs if one is invalid), then run them in order.

    A page whose content hash and tool versions are those of its last pass is not run again
    (guiderunner.store.cache), unless `--no-cache`; `--until` and `--keep-workspace` always run.
    """
    from guiderunner.match import judge
    from guiderunner.run.lifecycle import run_page
    from guiderunner.store import cache

    settings = pages.settings_from(args)
    plans = _with_steps(
        pages.plans(pages.chosen(args.lang, args.pages, settings), settings, reader=args.as_reader),
        named=bool(args.pages),
    )
    if settings.sample is not None and not settings.sample.is_dir():
        raise UsageError(f"sample solution not found: {settings.sample}")
    share = shards.scale(args, plans, settings)
    plans, hashes = share.plans, dict(share.hashes)
    verified = cache.verify_cache(os.environ)
    use_cache = not (args.no_cache or args.until or args.keep_workspace)
    prints: dict[str, dict[str, Any]] = {}  # each page's fingerprint, filled as pages run

    def fingerprint(plan: Plan) -> dict[str, Any]:
        from guiderunner.run.docker.fingerprint import page_fingerprint

        found = page_fingerprint(plan, settings.sample, settings.builder, os.environ)
        return found.as_json()

    reporters = _reporters(args, hashes, prints, verified.tools)
    options = pages.page_options(
        settings,
        reporters,
        keep_workspace=args.keep_workspace,
        echo=_echo if args.verbose else None,
    )
    recorder = _recorder(args.record, settings, hashes)
    results = []
    for plan in plans:
        carried = share.carried(plan)
        if carried is not None:
            if recorder is not None:
                recorder.carried(plan, carried)
            prints[plan.path] = prints.get(carried.same_plan_as or "", {})
            results.append(carried)
            continue
        environment = fingerprint(plan) if use_cache else None
        hit = verified.hit(Path(plan.path), hashes[plan.path], environment) if environment else None
        if hit is not None and recorder is not None and not recorder.has(plan):
            hit = None  # run it: its recording is missing
        if hit is not None:
            print(f"cached: {plan.path} (passed at {hit.shown}, content unchanged)")
            prints[plan.path] = environment or {}
            results.append(PageResult(plan.path, (), 0.0, cached=hit.at))
            share.ran(results[-1], to_the_end=False)
            continue
        cut = plan if args.until is None else replace(plan, steps=plan.steps[: args.until])
        if recorder is not None and args.until is None:
            result = recorder.run(cut, options, judge, keep_going=args.keep_going)
        else:
            result = run_page(cut, options, judge, keep_going=args.keep_going)
        prints[plan.path] = environment = fingerprint(plan)  # an image it pulled is known now
        if args.until is None:
            verified.remember(
                Path(plan.path), hashes[plan.path], passed=result.passed, environment=environment
            )
        share.ran(result, to_the_end=args.until is None and (result.passed or args.keep_going))
        results.append(result)
    for reporter in reporters:
        reporter.run_finished(results)
    return ExitCode.OK if all(r.passed for r in results) else ExitCode.FAILED


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
