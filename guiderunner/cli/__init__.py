"""The command line: `runner SUB-COMMAND ...`; main.py holds the command table and error path.

The only package that knows the order of the stages, and the only one that prints errors.
`entry` imports the command table itself, inside its own Ctrl-C guard: a Ctrl-C while Python
is still importing ends with one line and exit 130, never a traceback.

It also spares the collector work that finds nothing: the command table's imports allocate
thousands of objects and no garbage (no collection while they load, and what they made is
frozen out of later collections: it lives as long as the process), and when the command has
returned, every object lives until the process ends, so the objects are frozen out of the
interpreter's last full collection (5 to 15 ms of every start, `bench/README.md`).
"""

from __future__ import annotations

import gc
import sys

from guiderunner.errors import ExitCode


def entry() -> None:
    """Console-script entry point: `runner ...` -> exit status."""
    try:
        gc.disable()
        try:
            from guiderunner.cli.main import main
        finally:
            gc.freeze()  # what the imports made lives as long as the process: never walk it
            gc.enable()
        code = main(sys.argv[1:])
    except KeyboardInterrupt:
        print("runner: interrupted before anything started", file=sys.stderr)
        code = ExitCode.INTERRUPTED
    gc.freeze()  # the process ends now: nothing left to collect is worth the walk
    sys.exit(code)


__all__ = ["entry"]
