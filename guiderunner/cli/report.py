"""`runner report merge A.json B.json ... --json OUT.json [--junit OUT.xml]`: shards into one.

The merge itself is guiderunner.report.merge; here are its arguments and the one line it prints.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from guiderunner.errors import ExitCode


def arguments(parser: argparse.ArgumentParser) -> None:
    """`report merge REPORTS... --json OUT [--junit OUT]`."""
    actions = parser.add_subparsers(dest="action", required=True)
    merge = actions.add_parser("merge", help="one report from the shards' JSON reports")
    merge.add_argument("reports", nargs="+", type=Path, help="`runner verify --json` reports")
    merge.add_argument("--json", type=Path, required=True, help="where the merged report goes")
    merge.add_argument("--junit", type=Path, help="also write the merged JUnit XML")


def report_command(args: argparse.Namespace) -> int:
    """Merge (every input read and checked before anything is written), then say what it holds.

    The status is the merge's, not the pages': each shard's job has already failed on its own
    failing pages, and the merged report (`passed`) says it again for whoever reads it.
    """
    from guiderunner.report.merge import merge_files

    merged = merge_files(args.reports, args.json, args.junit)
    pages = merged["pages"]
    failed = sum(page.get("passed") is not True for page in pages)
    written = " and ".join(str(p) for p in (args.json, args.junit) if p is not None)
    print(
        f"merged {len(args.reports)} report{'s' * (len(args.reports) != 1)}: "
        f"{len(pages)} page{'s' * (len(pages) != 1)}, {failed} failed, into {written}"
    )
    return ExitCode.OK
