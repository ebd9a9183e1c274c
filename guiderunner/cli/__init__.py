"""The command line: `runner SUB-COMMAND ...`; main.py holds the command table and error path.

The only package that knows the order of the stages, and the only one that prints errors.
`entry` imports the command table itself, inside its own Ctrl-C guard: a Ctrl-C while Python
is still importing ends with one line and exit 130, never a traceback.
"""

from __future__ import annotations

import sys

from guiderunner.errors import ExitCode


def entry() -> None:
    """Console-script entry point: `runner ...` -> exit status."""
    try:
        from guiderunner.cli.main import main

        code = main(sys.argv[1:])
    except KeyboardInterrupt:
        print("runner: interrupted before anything started", file=sys.stderr)
        code = ExitCode.INTERRUPTED
    sys.exit(code)


__all__ = ["entry"]
