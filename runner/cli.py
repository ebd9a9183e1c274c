"""argv -> Settings -> parse, plan, run, match, report -> ExitCode. The only place that prints errors."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from pathlib import Path
from types import FrameType

from runner.errors import ExitCode, UsageError
from runner.match import judge
from runner.model import Observation, PageResult, Plan, Verdict
from runner.parse import parse_guide
from runner.plan import PlanSettings, plan_guide
from runner.report import Reporter
from runner.report.terminal import TerminalReporter
from runner.settings import Settings, find_config, load_settings


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
    verify.set_defaults(handler=verify_command)
    toolchain = commands.add_parser("toolchain", help="Docker engine, .NET images, registry")
    toolchain.add_argument("action", choices=["up", "down", "status"])
    toolchain.set_defaults(handler=toolchain_command)
    return parser


def _page_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pages", nargs="*", type=Path, help="pages (default: every page of docs/)")
    parser.add_argument("--config", type=Path, help="mkdocs.yml holding the runner settings")
    parser.add_argument("--sample", help="the sample solution to copy into each workspace")
    parser.add_argument("--timeout", type=float, help="default seconds per command")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="a placeholder's value"
    )


# --- list ------------------------------------------------------------------------------------


def list_command(args: argparse.Namespace) -> int:
    """Print each page's steps with their kind, line and options."""
    settings = _settings(args)
    for plan in _plans(args.pages, settings):
        print(f"{plan.path}: {len(plan.steps)} steps")
        for number, step in enumerate(plan.steps, 1):
            print(f"  {number:>3}  {step.span.start:>4}  {_step_summary(step)}")
    return ExitCode.OK


def _step_summary(step: object) -> str:
    from runner.report import describe, kind

    assert hasattr(step, "span")
    notes = []
    if getattr(step, "skip", None):
        notes.append(f"skip: {step.skip}")  # type: ignore[attr-defined]
    if getattr(step, "exit_status", 0):
        notes.append(f"exit {step.exit_status}")  # type: ignore[attr-defined]
    if hasattr(step, "timeout"):
        notes.append(f"timeout {step.timeout:g}s")
    suffix = f"  ({', '.join(notes)})" if notes else ""
    return f"{kind(step):<7}  {describe(step)}{suffix}"  # type: ignore[arg-type]


# --- verify ----------------------------------------------------------------------------------


def verify_command(args: argparse.Namespace) -> int:
    """Plan every page (exit 2 before anything runs if one is invalid), then run them in order."""
    settings = _settings(args)
    plans = _plans(args.pages, settings)
    if settings.sample is not None and not settings.sample.is_dir():
        raise UsageError(f"sample solution not found: {settings.sample}")
    reporters = _reporters(args)
    results = [
        run_page(plan, settings, reporters, keep_going=args.keep_going,
                 keep_workspace=args.keep_workspace, echo=_echo if args.verbose else None)
        for plan in plans
    ]
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
    """Run one page in a fresh workspace, reporting each verdict as it comes."""
    from runner.run.execute import execute
    from runner.run.workspace import scratch_workspace

    started = time.perf_counter()
    verdicts: list[Verdict] = []
    with scratch_workspace(settings.sample, keep=keep_workspace) as workspace:
        observations = execute(plan, workspace, os.environ, settings.env, echo)
        for verdict in _judged(plan, observations, keep_going):
            verdicts.append(verdict)
            for reporter in reporters:
                reporter.step_finished(plan.path, verdict)
    kept = str(workspace) if keep_workspace else None
    return PageResult(plan.path, tuple(verdicts), time.perf_counter() - started, kept)


def _judged(plan: Plan, observations: Iterator[Observation], keep_going: bool) -> Iterator[Verdict]:
    """Judge each observation; after a failure, the rest is skipped unless `keep_going`."""
    done = 0
    with closing(observations):
        for observation in observations:
            verdict = judge(observation)
            done += 1
            yield verdict
            if verdict.outcome in ("failed", "error") and not keep_going:
                break
    failed_at = plan.steps[done - 1].span if done else None
    for step in plan.steps[done:]:
        yield Verdict(Observation(step, skipped=f"not run: {failed_at} failed"), "skipped",
                      f"not run: {failed_at} failed")


def _reporters(args: argparse.Namespace) -> list[Reporter]:
    reporters: list[Reporter] = [TerminalReporter()]
    if args.junit:
        from runner.report.junit import JUnitReporter

        reporters.append(JUnitReporter(args.junit))
    if args.json:
        from runner.report.json_report import JsonReporter

        reporters.append(JsonReporter(args.json))
    return reporters


def _echo(chunk: bytes) -> None:
    sys.stdout.buffer.write(chunk)
    sys.stdout.flush()


# --- toolchain -------------------------------------------------------------------------------


def toolchain_command(args: argparse.Namespace) -> int:
    """Bring the Docker toolchain up or down (see runner.toolchain)."""
    from runner.toolchain import main as toolchain_main

    return toolchain_main([args.action])


# --- shared ----------------------------------------------------------------------------------


def _settings(args: argparse.Namespace) -> Settings:
    config = args.config
    if config is not None and not config.is_file():
        raise UsageError(f"no such configuration file: {config}")
    start = args.pages[0].resolve().parent if args.pages else Path.cwd()
    return load_settings(
        config or find_config(start),
        sample=args.sample,
        timeout=args.timeout,
        given=_assignments(args.set),
    )


def _assignments(pairs: Sequence[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise UsageError(f"--set wants NAME=VALUE, got {pair!r}")
        values[name] = value
    return values


def _plans(pages: Sequence[Path], settings: Settings) -> list[Plan]:
    chosen = list(pages) or sorted(settings.docs_dir.rglob("*.md"))
    if not chosen:
        raise UsageError(f"no pages given and none in {settings.docs_dir}")
    plan_settings = PlanSettings(
        timeout=settings.timeout,
        ready_timeout=settings.ready_timeout,
        placeholders=settings.placeholders,
        sample=settings.sample,
        environ=settings.environ,
    )
    return [plan_guide(parse_guide(_shown(page), _read(page)), plan_settings) for page in chosen]


def _read(page: Path) -> str:
    try:
        return page.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"no such page: {page}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {page}: {error}") from None


def _shown(page: Path) -> str:
    try:
        return str(page.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(page)


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

