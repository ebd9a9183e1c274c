"""argv -> Settings -> parse, plan, run, match, report -> ExitCode.

The only module that knows the order of the stages, and the only one that prints errors.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from types import FrameType

from runner import pages
from runner.errors import ExitCode, UsageError
from runner.i18n.commands import add_commands as add_translation_commands
from runner.match import judge
from runner.model import Observation, PageResult, Plan, Verdict
from runner.parse import parse_guide
from runner.report import Reporter
from runner.report.terminal import TerminalReporter
from runner.settings import Settings


class Interrupted(BaseException):
    """SIGTERM (or a second Ctrl-C): unwind every `with` so that cleanup runs."""


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main(sys.argv[1:]))


def main(argv: Sequence[str]) -> int:
    """Run `runner` with these arguments and return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return ExitCode.USAGE if exit_.code not in (0, None) else ExitCode.OK
    previous = _install_signal_handlers()
    try:
        return int(args.handler(args))
    except UsageError as error:
        print(f"runner: {error}", file=sys.stderr)
        return ExitCode.USAGE
    except BrokenPipeError:
        # The reader closed the pipe (`runner list | head`): stop quietly, as cat would.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitCode.FAILED
    except (KeyboardInterrupt, Interrupted):
        print("runner: interrupted; everything it started was stopped", file=sys.stderr)
        return ExitCode.INTERRUPTED
    finally:
        _restore_signal_handlers(previous)


def build_parser() -> argparse.ArgumentParser:
    """The command line: one sub-command per job."""
    parser = argparse.ArgumentParser(prog="runner", description="Run Markdown guides for real.")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="print the plan of each page, run nothing")
    _page_arguments(listing)
    listing.set_defaults(handler=list_command)
    verify = commands.add_parser("verify", help="run each page and check its output")
    _page_arguments(verify)
    verify.add_argument("--junit", type=Path, help="write a JUnit XML report")
    verify.add_argument("--json", type=Path, help="write the full result as JSON")
    verify.add_argument("--keep-going", action="store_true", help="run the steps after a failure")
    verify.add_argument("--keep-workspace", action="store_true", help="keep and print workspaces")
    verify.add_argument("-v", "--verbose", action="store_true", help="show output while it runs")
    verify.add_argument("--until", type=_step_number, metavar="N", help="run steps 1 to N only")
    verify.add_argument("--no-cache", action="store_true", help="run pages even when unchanged")
    verify.add_argument(
        "--lang",
        choices=["en", "fr", "all"],
        default="en",
        help="verify the English pages, the French ones built from them, or both",
    )
    verify.set_defaults(handler=verify_command)
    step = commands.add_parser("step", help="run a page step by step, for an audience")
    _page_arguments(step, one=True)
    step.add_argument(
        "--from",
        dest="start",
        type=_step_number,
        default=1,
        metavar="N",
        help="catch up on steps 1 to N-1 quietly, then go on from step N",
    )
    step.set_defaults(handler=step_command)
    update = commands.add_parser("update", help="rewrite a page's expected output from a run")
    _page_arguments(update, one=True)
    update.set_defaults(handler=update_command)
    reset = commands.add_parser("reset", help="remove kept workspaces and what killed runs left")
    reset.set_defaults(handler=reset_command)
    toolchain = commands.add_parser("toolchain", help="Docker engine, .NET images, registry")
    toolchain.add_argument("action", choices=["up", "down", "status"])
    toolchain.set_defaults(handler=toolchain_command)
    add_translation_commands(commands)
    return parser


def _page_arguments(parser: argparse.ArgumentParser, *, one: bool = False) -> None:
    if one:
        parser.add_argument("pages", nargs=1, type=Path, metavar="page", help="the page")
    else:
        parser.add_argument(
            "pages", nargs="*", type=Path, help="pages (default: every page of docs/)"
        )
    parser.add_argument("--config", type=Path, help="mkdocs.yml holding the runner settings")
    parser.add_argument("--sample", help="the sample solution to copy into each workspace")
    parser.add_argument("--timeout", type=float, help="default seconds per command")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="a placeholder's value"
    )


# --- list ------------------------------------------------------------------------------------


def list_command(args: argparse.Namespace) -> int:
    """Print each page's steps with their kind, line and options."""
    settings = pages.settings_from(args)
    for plan in pages.plans(args.pages, settings):
        print(f"{plan.path}: {len(plan.steps)} steps")
        for number, step in enumerate(plan.steps, 1):
            print(f"  {number:>3}  {step.span.start:>4}  {pages.step_summary(step)}")
    return ExitCode.OK


# --- verify ----------------------------------------------------------------------------------


def verify_command(args: argparse.Namespace) -> int:
    """Plan every page (exit 2 before anything runs if one is invalid), then run them in order.

    A page whose content hash and tool versions are those of its last pass is not run again
    (runner.cache), unless `--no-cache`; `--until` and `--keep-workspace` always run.
    """
    from runner import cache, state

    settings = pages.settings_from(args)
    plans = pages.plans(pages.chosen(args.lang, args.pages, settings), settings)
    if settings.sample is not None and not settings.sample.is_dir():
        raise UsageError(f"sample solution not found: {settings.sample}")
    hashes = cache.content_hashes(plans, settings.sample, settings.env)
    verified = cache.verify_cache(os.environ)
    use_cache = not (args.no_cache or args.until or args.keep_workspace)
    reporters = _reporters(args, hashes)
    results = []
    for plan in plans:
        hit = verified.hit(Path(plan.path), hashes[plan.path]) if use_cache else None
        if hit is not None:
            print(f"cached: {plan.path} (passed at {hit.shown}, content unchanged)")
            results.append(PageResult(plan.path, (), 0.0, cached=hit.at))
            continue
        cut = plan if args.until is None else replace(plan, steps=plan.steps[: args.until])
        result = run_page(
            cut,
            settings,
            reporters,
            keep_going=args.keep_going,
            keep_workspace=args.keep_workspace,
            echo=_echo if args.verbose else None,
        )
        if args.until is None:
            verified.remember(Path(plan.path), hashes[plan.path], passed=result.passed)
        if result.workspace is not None:
            state.keep_workspace(state.state_dir(os.environ), Path(result.workspace))
        results.append(result)
    for reporter in reporters:
        reporter.run_finished(results)
    return ExitCode.OK if all(r.passed for r in results) else ExitCode.FAILED


def run_page(
    plan: Plan,
    settings: Settings,
    reporters: Sequence[Reporter],
    *,
    keep_going: bool = False,
    keep_workspace: bool = False,
    echo: Callable[[bytes], None] | None = None,
) -> PageResult:
    """Run one page in a fresh workspace, reporting each verdict as it comes.

    The page is recorded as a session while it runs, so that `runner reset` can stop what it
    left should the runner itself be killed (SIGKILL leaves no chance to clean up).
    """
    from runner import state
    from runner.run.execute import execute, page_context
    from runner.run.shell import new_nonce
    from runner.run.workspace import scratch_workspace

    started = time.perf_counter()
    verdicts: list[Verdict] = []
    nonce, record = new_nonce(), state.state_dir(os.environ)
    with scratch_workspace(settings.sample, keep=keep_workspace) as workspace:
        state.open_session(record, nonce, workspace)
        try:
            with page_context(
                plan, workspace, os.environ, settings.env, echo=echo, nonce=nonce
            ) as context:
                for verdict in _judged(plan, execute(plan, context), keep_going):
                    verdicts.append(verdict)
                    for reporter in reporters:
                        reporter.step_finished(plan.path, verdict)
        finally:
            state.close_session(record, nonce)
    kept = str(workspace) if keep_workspace else None
    return PageResult(plan.path, tuple(verdicts), time.perf_counter() - started, kept)


def _judged(plan: Plan, observations: Iterator[Observation], keep_going: bool) -> Iterator[Verdict]:
    """Judge each observation; after a failure, the rest is skipped unless `keep_going`."""
    done = 0
    for observation in observations:
        verdict = judge(observation)
        done += 1
        yield verdict
        if verdict.outcome in ("failed", "error") and not keep_going:
            break
    failed_at = plan.steps[done - 1].span if done else None
    for step in plan.steps[done:]:
        yield Verdict(
            Observation(step, skipped=f"not run: {failed_at} failed"),
            "skipped",
            f"not run: {failed_at} failed",
        )


def _reporters(args: argparse.Namespace, hashes: dict[str, str]) -> list[Reporter]:
    reporters: list[Reporter] = [TerminalReporter()]
    if args.junit:
        from runner.report.junit import JUnitReporter

        reporters.append(JUnitReporter(args.junit))
    if args.json:
        from runner.report.json_report import JsonReporter

        reporters.append(JsonReporter(args.json, page_hashes=hashes))
    return reporters


def _echo(chunk: bytes) -> None:
    sys.stdout.buffer.write(chunk)
    sys.stdout.flush()


# --- step, update, reset ---------------------------------------------------------------------


def step_command(args: argparse.Namespace) -> int:
    """Present one page step by step (see runner.workshop)."""
    from runner import state, workshop
    from runner.projector import keys_for

    settings = pages.settings_from(args)
    page = args.pages[0]
    plan = pages.plans([page], settings)[0]
    workshop.check_start(plan, args.start)
    step_settings = workshop.StepSettings(
        settings.sample, os.environ, settings.env, args.start, state.state_dir(os.environ)
    )
    with keys_for(sys.stdin) as keys:
        return workshop.step_page(plan, pages.read(page), step_settings, keys, sys.stdout)


def update_command(args: argparse.Namespace) -> int:
    """Run one page, rewrite the expected output that differed, print the page's diff."""
    from runner import update

    settings = pages.settings_from(args)
    page = args.pages[0]
    plan = pages.plans([page], settings)[0]
    source = update.read_exactly(page)
    result = run_page(plan, settings, [TerminalReporter()], keep_going=True)
    change = update.update_page(
        source,
        parse_guide(plan.path, pages.read(page)),
        plan,
        result.verdicts,
        settings.placeholders,
    )
    if change.text == source:
        print(f"{plan.path}: no expected output to rewrite")
    else:
        update.write_atomically(page, change.text)
        print(update.page_diff(plan.path, source, change.text), end="")
        lines = ", ".join(map(str, change.rewritten))
        print(f"{plan.path}: rewrote the expected output of the commands at lines {lines}")
    left = [
        v
        for v in update.rejudged(pages.plans([page], settings)[0], result.verdicts)
        if v.outcome in ("failed", "error")
    ]
    for verdict in left:
        print(f"still failing: {verdict.step.span}: {verdict.message}")
    return ExitCode.FAILED if left else ExitCode.OK


def reset_command(args: argparse.Namespace) -> int:
    """Remove kept workspaces and what killed step sessions left behind (see runner.state)."""
    from runner import state

    removed = state.reset(state.state_dir(os.environ))
    print("\n".join(removed) if removed else "nothing to remove")
    return ExitCode.OK


def _step_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a step number (1 or more), got {text!r}")
    return int(text)


# --- toolchain -------------------------------------------------------------------------------


def toolchain_command(args: argparse.Namespace) -> int:
    """Bring the Docker toolchain up or down (see runner.toolchain)."""
    from runner.toolchain import main as toolchain_main

    return toolchain_main([args.action])


def _install_signal_handlers() -> dict[int, object]:
    def stop(signum: int, frame: FrameType | None) -> None:
        # Cleanup must not be cut short by a second signal.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Interrupted

    return {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}


def _restore_signal_handlers(previous: dict[int, object]) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)  # type: ignore[arg-type]
