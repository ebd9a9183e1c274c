"""`runner step PAGE [--from N] [--report FILE]`: a page step by step (see presenter).

On a terminal, the projector view (guiderunner.presenter.stage); otherwise one answer per line
(guiderunner.presenter.session), for scripts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from guiderunner.cli import pages

DEFAULT_REPORT = Path("out/report.json")


def arguments(parser: argparse.ArgumentParser) -> None:
    """`step PAGE [--from N]` and the page options; the keys in the epilog."""
    from guiderunner.presenter.keys import HELP

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = "keys:\n" + "\n".join(f"  {keys:<22}{what}" for keys, what in HELP)
    pages.page_arguments(parser, one=True)
    parser.add_argument(
        "--from",
        dest="start",
        type=pages.step_number,
        default=1,
        metavar="N",
        help="catch up on steps 1 to N-1 quietly, then go on from step N",
    )
    parser.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="the JSON report of the last run, for each section's time (default: out/report.json)",
    )


def step_command(args: argparse.Namespace) -> int:
    """Present one page step by step, keys from stdin, screen on stdout."""
    from guiderunner.markdown import headings
    from guiderunner.parse import parse_guide
    from guiderunner.presenter import session, stage
    from guiderunner.presenter.deck import slides
    from guiderunner.presenter.projector import Projector
    from guiderunner.presenter.screen import LiveOutput, Screen, keys_for
    from guiderunner.presenter.timings import expected_times, read_report
    from guiderunner.store.cache import content_hash

    settings = pages.settings_from(args)
    page = args.pages[0]
    plan = pages.plans([page], settings)[0]
    session.check_start(plan, args.start)
    text = pages.read(page)
    found = headings(text)
    report = read_report(
        args.report or settings.root / DEFAULT_REPORT, given=args.report is not None
    )
    expected = expected_times(
        report, plan, content_hash(plan, settings.sample, settings.env), found, settings.root
    )
    live = LiveOutput(sys.stdout)
    options = pages.page_options(settings, [], echo=live)
    terminal = sys.stdin.fileno() if sys.stdin.isatty() else None
    projector = terminal is not None and sys.stdout.isatty()
    screen = Projector(sys.stdout) if projector else Screen(sys.stdout)
    with keys_for(sys.stdin) as keys:
        presenter = session.Presenter(keys, screen, live, found, terminal, expected)
        if not projector:
            return session.step_page(plan, options, args.start, presenter)
        deck = slides(plan, parse_guide(pages.shown(page), text), text, found)
        return stage.step_page(plan, options, args.start, presenter, deck)
