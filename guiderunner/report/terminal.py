"""One line per step while running, details for each failure, a summary at the end.

On a terminal the lines are coloured with rich; elsewhere (CI logs, pipes) they are plain text,
which also keeps the per-step cost of long guides low.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from guiderunner.model import PageResult, Verdict
from guiderunner.report.text import MARKS, describe, failure_details

STYLES = {"passed": "green", "failed": "bold red", "skipped": "yellow", "error": "bold magenta"}


class TerminalReporter:
    """Writes progress and failures to a stream."""

    def __init__(self, stream: TextIO | None = None, *, color: bool | None = None) -> None:
        self._stream = stream or sys.stdout
        self._color = self._stream.isatty() if color is None else color
        self._page: str | None = None

    def step_finished(self, path: str, verdict: Verdict) -> None:
        """Print the step's line, and its details when it did not pass."""
        if path != self._page:
            self._page = path
            self._write(f"\n{path}\n", "bold")
        step, outcome = verdict.step, verdict.outcome
        line = f"  {MARKS[outcome]:<4} {step.span.start:>4}  {describe(step)}"
        timing = f"  ({verdict.observation.duration:.2f}s)" if outcome != "skipped" else ""
        note = f"  [{verdict.message}]" if outcome == "skipped" else ""
        self._write(f"{line}{timing}{note}\n", STYLES[outcome])
        if verdict.did_not_pass:
            self._write(failure_details(verdict), None)

    def run_finished(self, results: Sequence[PageResult]) -> None:
        """Print the totals."""
        counts = Counter(v.outcome for r in results for v in r.verdicts)
        seconds = sum(r.duration for r in results)
        parts = [f"{counts[o]} {o}" for o in ("passed", "failed", "error", "skipped")]
        cached = sum(r.cached is not None and r.same_plan_as is None for r in results)
        parts += [f"{cached} page{'s' * (cached != 1)} cached"] if cached else []
        carried = sum(r.same_plan_as is not None for r in results)
        parts += [_carried(carried)] if carried else []
        ok = all(r.passed for r in results)
        self._write(f"\n{', '.join(parts)} in {seconds:.1f}s\n", "bold green" if ok else "bold red")
        for result in results:
            if result.workspace:
                self._write(f"workspace kept: {result.workspace}\n", None)

    def _write(self, text: str, style: str | None) -> None:
        if self._color and style:
            from rich.markup import escape

            text = f"[{style}]{escape(text)}[/]"
            _console(self._stream).print(text, end="", highlight=False, soft_wrap=True)
        else:
            self._stream.write(text)
            self._stream.flush()


def _carried(count: int) -> str:
    """French pages that took their English page's verdicts instead of running.

    >>> _carried(1), _carried(2)
    ('1 page carried over from its English plan', '2 pages carried over from their English plans')
    """
    if count == 1:
        return "1 page carried over from its English plan"
    return f"{count} pages carried over from their English plans"


_consoles: dict[int, object] = {}


def _console(stream: TextIO):  # type: ignore[no-untyped-def]
    from rich.console import Console

    if id(stream) not in _consoles:
        _consoles[id(stream)] = Console(file=stream, force_terminal=True)
    return _consoles[id(stream)]
