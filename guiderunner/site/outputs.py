r"""What the last verified run printed, for the lines of a page whose expected output varies.

A page's expected output may hold `...` lines, lines with `...` inside, and ` (re)` patterns:
the runner reads them, a reader should not. `runner publish` takes each command's actual output
from the JSON report (`runner verify --json`, secrets already masked) of a passing run of the
page's current content, and the plugin shows it in place of the patterns
(guiderunner.site.console).

`page_runs` gathers, for each shown console block of the English page and each of its commands,
the run that the report holds for it: the same list fits a translation, whose code blocks are
the English ones (the plugin checks each command's text before it uses one). `fit` tells which
actual lines each expected line stood for.

>>> from guiderunner.plan.expect import compile_lines
>>> expected = compile_lines(["start", "...", "took ... ms"], regex=False)
>>> fit(expected, ["start", "a", "b", "took 3 ms"])
(('start',), ('a', 'b'), ('took 3 ms',))
>>> fit(compile_lines(["x"], regex=False), ["y"]) is None
True
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from guiderunner.model import LinePattern
from guiderunner.plan.expect import matches

__all__ = ["Run", "fit", "page_runs", "read_runs", "runs_of"]

PREFERRED_KINDS = ("stop", "command", "start")
"""A service's expected output is judged when it stops: its `stop` step holds all of it."""


@dataclass(frozen=True, slots=True)
class Run:
    """One command of a page as the last verified run typed it and saw it."""

    text: str
    """What was typed (the prompts removed): a page whose command differs does not use it."""
    output: str | None
    """What it printed, masked; None when the step did not run (skipped)."""
    outcome: str
    """`passed`, `skipped`, ... as the report says."""


def fit(
    patterns: Sequence[LinePattern], actual: Sequence[str]
) -> tuple[tuple[str, ...], ...] | None:
    """For each expected line, the actual lines it stood for; None when they do not match.

    A `...` line takes as few lines as it can, so that the lines after it show as themselves.
    """
    count, total = len(patterns), len(actual)

    @functools.cache
    def fits(i: int, j: int) -> bool:
        if i == count:
            return j == total
        if patterns[i].kind == "any-lines":
            return any(fits(i + 1, k) for k in range(j, total + 1))
        return j < total and matches(patterns[i], actual[j]) and fits(i + 1, j + 1)

    if count * (total + 1) > 200_000 or not fits(0, 0):
        return None
    shown: list[tuple[str, ...]] = []
    j = 0
    for i, pattern in enumerate(patterns):
        if pattern.kind == "any-lines":
            end = next(k for k in range(j, total + 1) if fits(i + 1, k))
        else:
            end = j + 1
        shown.append(tuple(actual[j:end]))
        j = end
    return tuple(shown)


def runs_of(steps: Iterable[Mapping[str, Any]]) -> dict[int, Mapping[str, Any]]:
    """The report's steps by the line of their command, a service's `stop` step first."""
    found: dict[int, Mapping[str, Any]] = {}
    for step in steps:
        line, kind = step.get("line"), step.get("kind")
        if not isinstance(line, int) or kind not in PREFERRED_KINDS:
            continue
        held = found.get(line)
        if held is None or PREFERRED_KINDS.index(kind) < PREFERRED_KINDS.index(held["kind"]):
            found[line] = step
    return found


def page_runs(
    commands: Sequence[Sequence[tuple[int, str, str]]], steps: Iterable[Mapping[str, Any]]
) -> list[list[dict[str, Any] | None]]:
    """Per shown console block, per command, the report's run of it (JSON-ready) or None.

    `commands` holds, per block, each command's line in the page, its typed text and its first
    line as shown (guiderunner.site.console.page_commands); `steps` are the report's steps of a
    passing run of this very content. A command step must bear the command's name (its first
    line): a step of another page at the same line (a translation's) is not taken.
    """
    by_line = runs_of(steps)
    blocks: list[list[dict[str, Any] | None]] = []
    for block in commands:
        runs: list[dict[str, Any] | None] = []
        for line, text, first in block:
            step = by_line.get(line)
            output = step.get("output") if step is not None else None
            named = step is None or step.get("kind") != "command" or step.get("name") == first
            if step is None or not named or not (output is None or isinstance(output, str)):
                runs.append(None)
                continue
            runs.append({"text": text, "output": output, "outcome": str(step.get("outcome"))})
        blocks.append(runs)
    return blocks


def read_runs(data: object) -> list[list[Run | None]]:
    """`page_runs`' JSON read back; anything malformed gives no run rather than an error."""
    blocks: list[list[Run | None]] = []
    for block in data if isinstance(data, list) else []:
        runs: list[Run | None] = []
        for entry in block if isinstance(block, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("text"), str):
                output = entry.get("output")
                shown = output if isinstance(output, str) else None
                runs.append(Run(entry["text"], shown, str(entry.get("outcome", ""))))
            else:
                runs.append(None)
        blocks.append(runs)
    return blocks
