"""`runner update PAGE`: run the page, rewrite the expected output that changed, show the diff."""

from __future__ import annotations

import argparse

from guiderunner.cli import pages
from guiderunner.errors import ExitCode


def arguments(parser: argparse.ArgumentParser) -> None:
    """`update PAGE` and the page options."""
    pages.page_arguments(parser, one=True)


def update_command(args: argparse.Namespace) -> int:
    """Run one page, rewrite the expected output that differed, print the page's diff."""
    from guiderunner.match import judge
    from guiderunner.parse import parse_guide
    from guiderunner.report.terminal import TerminalReporter
    from guiderunner.rewrite import page as rewrite
    from guiderunner.run.lifecycle import run_page

    settings = pages.settings_from(args)
    page = args.pages[0]
    plan = pages.plans([page], settings)[0]
    source = rewrite.read_exactly(page)
    options = pages.page_options(settings, [TerminalReporter()])
    result = run_page(plan, options, judge, keep_going=True)
    change = rewrite.update_page(
        source,
        parse_guide(plan.path, pages.read(page)),
        plan,
        result.verdicts,
        settings.placeholders,
    )
    if change.text == source:
        print(f"{plan.path}: no expected output to rewrite")
    else:
        rewrite.write_atomically(page, change.text)
        print(rewrite.page_diff(plan.path, source, change.text), end="")
        lines = ", ".join(map(str, change.rewritten))
        print(f"{plan.path}: rewrote the expected output of the commands at lines {lines}")
    left = [
        v
        for v in rewrite.rejudged(pages.plans([page], settings)[0], result.verdicts)
        if v.did_not_pass
    ]
    for verdict in left:
        print(f"still failing: {verdict.step.span}: {verdict.message}")
    return ExitCode.FAILED if left else ExitCode.OK
