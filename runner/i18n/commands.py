"""The command line of `runner i18n update|build|check` and `runner publish`.

Only the parser lives here, so that `runner verify` does not pay for importing polib and the
site builder; each handler imports runner.i18n.cli when it runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `i18n` and `publish` to a sub-command table; each sets `handler(args) -> int`."""
    i18n = commands.add_parser("i18n", help="translate the pages (Gettext PO catalogs)")
    actions = i18n.add_subparsers(dest="action", required=True)
    update = actions.add_parser("update", help="extract messages and merge them into catalogs")
    build = actions.add_parser("build", help="write translated pages into build/docs/<lang>/")
    check = actions.add_parser("check", help="statistics, violations and release thresholds")
    check.add_argument(
        "--min-translated",
        type=float,
        default=100.0,
        metavar="PERCENT",
        help="lowest share of translated messages per page (default: 100)",
    )
    check.add_argument(
        "--max-fuzzy",
        type=int,
        default=0,
        metavar="N",
        help="most fuzzy messages per page (default: 0)",
    )
    publish = commands.add_parser("publish", help="build the bilingual site into site/")
    publish.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="a `runner verify --json` report: pages it verified say so",
    )
    for parser, handler in (
        (update, "update_command"),
        (build, "build_command"),
        (check, "check_command"),
        (publish, "publish_command"),
    ):
        parser.add_argument("--config", type=Path, help="mkdocs.yml (default: the nearest one)")
        parser.set_defaults(handler=_later(handler))


def _later(name: str) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        from runner.i18n import cli

        return int(getattr(cli, name)(args))

    return handler
