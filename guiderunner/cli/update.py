"""`runner update PAGE`: run the page, then rewrite the expected output that changed.

It reads as an update, not as a failed run: the run is quiet, then the page's diff, then one
line saying what was updated. `--diff` only shows the diff (exit 1 when there is one, as
`diff` does); `--interactive` asks about each command's change. Pattern lines that no longer
match are kept and listed with their file:line: the author fixes them, no literal pins them.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

from guiderunner.cli import pages
from guiderunner.errors import ExitCode

if TYPE_CHECKING:
    from guiderunner.model import Plan, Verdict
    from guiderunner.rewrite.page import Change, Update
    from guiderunner.settings import Settings


def arguments(parser: argparse.ArgumentParser) -> None:
    """`update PAGE`, the page options, `--diff` and `--interactive`."""
    pages.page_arguments(parser, one=True)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--diff",
        action="store_true",
        help="show the page's diff and change nothing (exit 1 when there is one, as diff does)",
    )
    mode.add_argument(
        "-i",
        "--interactive",
        action="store_true",
        help="show each command's change and ask: y (take it), n (leave it), q (stop here)",
    )


def update_command(args: argparse.Namespace) -> int:
    """Run one page quietly, then show, ask about or write the expected output that changed."""
    from guiderunner.match import judge
    from guiderunner.parse import parse_guide
    from guiderunner.rewrite import page as rewrite
    from guiderunner.run.lifecycle import run_page

    settings = pages.settings_from(args)
    page = args.pages[0]
    plan = pages.plans([page], settings)[0]
    source = rewrite.read_exactly(page)
    print(f"running {plan.path} ({len(plan.steps)} steps) ...", file=sys.stderr, flush=True)
    result = run_page(plan, pages.page_options(settings, []), judge, keep_going=True)
    guide = parse_guide(plan.path, pages.read(page))
    update = rewrite.update_page(source, guide, plan, result.verdicts, settings.placeholders)
    taken = list(update.changes)
    if args.interactive:
        taken = _ask(plan.path, update.changes, input_line)
    new = rewrite.applied(source, taken)
    if args.diff:
        print(rewrite.page_diff(plan.path, source, new), end="")
        _summary(plan.path, taken, would=True)
        _report_stale(plan.path, update, sys.stderr)
        return ExitCode.FAILED if new != source else ExitCode.OK
    if new != source:
        rewrite.write_atomically(page, new)
        print(rewrite.page_diff(plan.path, source, new), end="")
    _summary(plan.path, taken, would=False)
    _report_stale(plan.path, update, sys.stdout)
    left = _still_failing(new, plan, settings, result.verdicts)
    for verdict in left:
        print(f"still failing: {verdict.step.span}: {verdict.message}")
    return ExitCode.FAILED if left else ExitCode.OK


def input_line(prompt: str) -> str:
    """One answer from the author; end of input reads as `q`."""
    print(prompt, end="", flush=True)
    answer = sys.stdin.readline()
    return answer.strip().lower() if answer else "q"


def _ask(path: str, changes: Sequence[Change], ask: Callable[[str], str]) -> list[Change]:
    """The changes the author takes, asked one command at a time."""
    taken: list[Change] = []
    for number, change in enumerate(changes, 1):
        print(f"\n{path}:{change.command}  {change.shown}")
        hunk = difflib.unified_diff(change.old, change.new, lineterm="", n=1)
        print("\n".join(line for line in list(hunk)[2:] if not line.startswith("@@")))
        answer = ""
        while answer not in ("y", "n", "q"):
            answer = ask(f"({number}/{len(changes)}) take this change? [y,n,q] ")
        if answer == "q":
            break
        if answer == "y":
            taken.append(change)
    return taken


def _summary(path: str, taken: Sequence[Change], *, would: bool) -> None:
    stream = sys.stderr if would else sys.stdout
    if not taken:
        print(f"{path}: no expected output to update", file=stream)
        return
    steps = "step" if len(taken) == 1 else "steps"
    lines = ", ".join(str(change.command) for change in taken)
    verb = "would update" if would else "updated"
    print(f"{verb} {len(taken)} {steps} in {path} (commands at lines {lines})", file=stream)


def _report_stale(path: str, update: Update, stream: TextIO) -> None:
    """Each pattern kept although it no longer matches, with its file:line."""
    for stale in update.stale:
        met = f"printed {stale.actual!r}" if stale.actual is not None else "nothing left for it"
        print(
            f"{path}:{stale.line}: pattern kept, no longer matches ({met}): {stale.pattern}",
            file=stream,
        )


def _still_failing(
    text: str, plan: Plan, settings: Settings, verdicts: Sequence[Verdict]
) -> list[Verdict]:
    """The run's observations judged against the page as it now reads (nothing runs again)."""
    from guiderunner.parse import parse_guide
    from guiderunner.plan import plan_guide, plan_settings
    from guiderunner.rewrite import page as rewrite

    plain = text.replace("\r\n", "\n").replace("\r", "\n")
    new_plan = plan_guide(parse_guide(plan.path, plain), plan_settings(settings))
    again = rewrite.rejudged(new_plan, verdicts)
    return [v for v in again if v.did_not_pass]
