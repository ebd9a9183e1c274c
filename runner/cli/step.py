"""`runner step PAGE [--from N]`: present a page step by step (see runner.presenter)."""

from __future__ import annotations

import argparse
import sys

from runner.cli import pages


def arguments(parser: argparse.ArgumentParser) -> None:
    """`step PAGE [--from N]` and the page options."""
    pages.page_arguments(parser, one=True)
    parser.add_argument(
        "--from",
        dest="start",
        type=pages.step_number,
        default=1,
        metavar="N",
        help="catch up on steps 1 to N-1 quietly, then go on from step N",
    )


def step_command(args: argparse.Namespace) -> int:
    """Present one page step by step, keys from stdin, screen on stdout."""
    from runner.presenter import session
    from runner.presenter.screen import LiveOutput, keys_for

    settings = pages.settings_from(args)
    page = args.pages[0]
    plan = pages.plans([page], settings)[0]
    session.check_start(plan, args.start)
    live = LiveOutput(sys.stdout)
    options = pages.for_plan(pages.page_options(settings, [], echo=live), plan, settings)
    with keys_for(sys.stdin) as keys:
        return session.step_page(plan, pages.read(page), options, args.start, keys, live)
