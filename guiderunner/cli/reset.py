"""`runner reset`: remove kept workspaces and what killed runs left (see run.box.leftovers)."""

from __future__ import annotations

import argparse
import os

from guiderunner.errors import ExitCode


def arguments(parser: argparse.ArgumentParser) -> None:
    """`reset` takes no arguments."""


def reset_command(args: argparse.Namespace) -> int:
    """Remove what the record lists and nobody owns any more; print what was removed."""
    from guiderunner.run.box import leftovers as record

    removed = record.reset(record.record_dir(os.environ))
    print("\n".join(removed) if removed else "nothing to remove")
    return ExitCode.OK
