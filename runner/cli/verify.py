"""`runner list` and `runner verify`: plan every page first, then run them in order."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from runner.cli import pages, shards
from runner.errors import ExitCode, UsageError
from runner.model import PageResult
from runner.report import Reporter
from runner.report.terminal import TerminalReporter


def list_arguments(parser: argparse.ArgumentParser) -> None:
    """`list [PAGES]` and the page options."""
    pages.page_arguments(parser)


def list_command(args: argparse.Namespace) -> int:
    """Print each page's steps with their kind, line and options."""
    from runner.report.text import step_summary

    settings = pages.settings_from(args)
    for plan in pages.plans(args.pages, settings):
        print(f"{plan.path}: {len(plan.steps)} steps")
        for number, step in enumerate(plan.steps, 1):
            print(f"  {number:>3}  {step.span.start:>4}  {step_summary(step)}")
    return ExitCode.OK


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
        "--lang",
        choices=["en", "fr", "all"],
        default="en",
        help="verify the English pages, the French ones built from them, or both",
    )
    shards.arguments(parser)


def verify_command(args: argparse.Namespace) -> int:
    """Plan every page (exit 2 before anything runs if one is invalid), then run them in order.

    A page whose content hash and tool versions are those of its last pass is not run again
    (runner.store.cache), unless `--no-cache`; `--until` and `--keep-workspace` always run.
    """
    from runner.match import judge
    from runner.run.lifecycle import run_page
    from runner.store import cache

    settings = pages.settings_from(args)
    plans = pages.plans(pages.chosen(args.lang, args.pages, settings), settings)
    if settings.sample is not None and not settings.sample.is_dir():
        raise UsageError(f"sample solution not found: {settings.sample}")
    share = shards.scale(args, plans, settings)
    plans, hashes = share.plans, dict(share.hashes)
    verified = cache.verify_cache(os.environ)
    use_cache = not (args.no_cache or args.until or args.keep_workspace)
    reporters = _reporters(args, hashes)
    options = pages.page_options(
        settings,
        reporters,
        keep_workspace=args.keep_workspace,
        echo=_echo if args.verbose else None,
    )
    results = []
    for plan in plans:
        carried = share.carried(plan)
        if carried is not None:
            results.append(carried)
            continue
        hit = verified.hit(Path(plan.path), hashes[plan.path]) if use_cache else None
        if hit is not None:
            print(f"cached: {plan.path} (passed at {hit.shown}, content unchanged)")
            results.append(PageResult(plan.path, (), 0.0, cached=hit.at))
            share.ran(results[-1], to_the_end=False)
            continue
        cut = plan if args.until is None else replace(plan, steps=plan.steps[: args.until])
        result = run_page(cut, options, judge, keep_going=args.keep_going)
        if args.until is None:
            verified.remember(Path(plan.path), hashes[plan.path], passed=result.passed)
        share.ran(result, to_the_end=args.until is None and (result.passed or args.keep_going))
        results.append(result)
    for reporter in reporters:
        reporter.run_finished(results)
    return ExitCode.OK if all(r.passed for r in results) else ExitCode.FAILED


def _reporters(args: argparse.Namespace, hashes: dict[str, str]) -> list[Reporter]:
    reporters: list[Reporter] = [TerminalReporter()]
    if args.junit:
        from runner.report.junit import JUnitReporter

        reporters.append(JUnitReporter(args.junit))
    if args.json:
        from runner.report.json_report import JsonReporter

        reporters.append(JsonReporter(args.json, page_hashes=hashes))
    return reporters


def _echo(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
