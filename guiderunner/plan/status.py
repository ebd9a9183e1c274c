r"""The `[N]` line: a command's expected exit status written where readers see it.

As in cram and prysk, a line that holds only a bracketed number, last under a command's output,
is the status the command must exit with; it is not expected output. A program that really
prints such a line is written as a regular expression (`\[3\] (re)`).

>>> split_status(["usage: tool", "[2]", ""])
(('usage: tool',), 2, 1)
>>> split_status(["[1] 4242"])
(('[1] 4242',), None, None)
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from guiderunner.errors import GuideError
from guiderunner.model import Block
from guiderunner.plan.commands import PageCommand

STATUS_LINE = re.compile(r"^\[(\d+)\]\s*$")
HIGHEST = 255


def split_status(output: Sequence[str]) -> tuple[tuple[str, ...], int | None, int | None]:
    """The output without its status line, the status (or None), and that line's index.

    A status above 255 is returned as written: the plan says why it cannot be.
    """
    last = len(output) - 1
    while last >= 0 and not output[last].strip():
        last -= 1
    found = STATUS_LINE.match(output[last]) if last >= 0 else None
    if found is None:
        return tuple(output), None, None
    return tuple(output[:last]), int(found[1]), last


def status_line(typed: PageCommand, block: Block) -> tuple[tuple[str, ...], int]:
    """The expected output without its `[N]` line, and the status to expect."""
    output, status, index = split_status(typed.output)
    if status is None or index is None:
        return output, block.options.exit_status
    line = typed.span.end + 1 + index
    if status > HIGHEST:
        raise GuideError(typed.span.path, line, f"exit status [{status}] is above {HIGHEST}")
    directive = block.options.exit_status
    if directive not in (0, status):
        message = f"exit status [{status}] here, but `exit={directive}` in the directive"
        raise GuideError(typed.span.path, line, message)
    return output, status
