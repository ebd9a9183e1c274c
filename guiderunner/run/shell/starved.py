"""A command waiting for input the page will never type: found in a second, not at the timeout.

A nested `sh` or `python3` reading its commands from the terminal, `read name`, a `[Y/n]`
question, `less` waiting for a key: once every line of the step is typed, nothing more will
come, so waiting for the step's timeout only delays the failure. The foreground job is looked
at when the terminal has been quiet for `HUNGRY` seconds: a process of it asleep reading the
terminal (read(), or poll/select with stdin on it: readline, less) is starving. Bash reading
its own next command line is not (that is a prompt: run.shell.hooks looks at it).
"""

from __future__ import annotations

import time
from pathlib import Path

from guiderunner.run.shell.terminal import Terminal, cmdline

HUNGRY = 1.0
"""Seconds of a quiet terminal before the foreground job is looked at."""


def starving(terminal: Terminal, quiet_since: float) -> str | None:
    """The name of the program waiting for input that will not come, or None."""
    if time.monotonic() - quiet_since < HUNGRY:
        return None
    group = terminal.foreground()
    if group is None:
        return None
    for pid in (group, *_children(group)):
        if terminal.reads_terminal(pid) and not terminal.reads_prompt(pid):
            argv = cmdline(pid)
            return Path(argv[0]).name if argv else str(pid)
    return None


def _children(pid: int) -> list[int]:
    """Direct children (a `sh -c 'cat'` leaves `cat` reading, under `sh`)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
    except OSError:
        return []
    return [int(child) for child in text.split()]
