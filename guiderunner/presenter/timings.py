"""How long each step and each section of a page took in its last run, from a JSON report.

An instructor paces a workshop by these: the header of each step says how long its section
(the steps under the same heading) and the step itself took when the page was last verified
(`runner verify --json`, `out/report.json` by default). Only a run of the page as it is now
counts: the report's content hash of the page must be the current one, otherwise nothing is
shown, since a stale time misleads more than none. Steps are matched by line and name; when
prose above them moved (the content hash ignores prose), by position and name.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guiderunner.errors import UsageError
from guiderunner.markdown import Heading
from guiderunner.model import Plan
from guiderunner.report.text import describe


@dataclass(frozen=True, slots=True)
class Expected:
    """What the last run of the current page says about one step."""

    step: float | None
    """Seconds the step took, None when the report does not hold it."""
    section: float | None
    """Seconds its section (the steps under the same heading) took, None when unknown."""


def read_report(path: Path, *, given: bool) -> Mapping[str, Any] | None:
    """The report, or None when there is none; a report named on the command line must load."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if given:
            raise UsageError(f"no such report: {path}") from None
        return None
    except (OSError, ValueError) as error:
        if given:
            raise UsageError(f"cannot read report {path}: {error}") from None
        return None
    return data if isinstance(data, dict) else None


def expected_times(
    report: Mapping[str, Any] | None,
    plan: Plan,
    content_hash: str,
    found: Sequence[Heading],
    root: Path,
) -> tuple[Expected, ...] | None:
    """Each step's expected times (by position in the plan), None when the report is stale.

    `root` is where the report's page paths are relative to, besides the current folder.
    """
    entry = _page_entry(report, plan.path, content_hash, root) if report else None
    if entry is None:
        return None
    durations = _step_durations(entry["steps"], plan)
    sections = [_section(found, step.span.start) for step in plan.steps]
    totals: dict[int, float] = {}
    for section, seconds in zip(sections, durations, strict=True):
        if seconds is not None:
            totals[section] = totals.get(section, 0.0) + seconds
    return tuple(
        Expected(seconds, totals.get(section))
        for section, seconds in zip(sections, durations, strict=True)
    )


def _page_entry(
    report: Mapping[str, Any], page: str, content_hash: str, root: Path
) -> Mapping[str, Any] | None:
    """The first entry of this page, with this content hash, that ran (a cached one did not)."""
    wanted = Path(page).resolve()
    for entry in report.get("pages") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            continue
        named = entry["path"]
        same_page = named == page or wanted in (Path(named).resolve(), (root / named).resolve())
        steps = entry.get("steps")
        if same_page and entry.get("content_hash") == content_hash and steps:
            return entry if isinstance(steps, list) else None
    return None


def _step_durations(steps: list[Any], plan: Plan) -> list[float | None]:
    """The report's duration of each plan step: same line and name, else same place and name."""
    valid = [s for s in steps if isinstance(s, dict) and _seconds(s.get("duration")) is not None]
    by_line = {(s.get("line"), s.get("name")): float(s["duration"]) for s in valid}
    aligned = len(steps) == len(plan.steps)
    found: list[float | None] = []
    for number, step in enumerate(plan.steps):
        name = describe(step)
        seconds = by_line.get((step.span.start, name))
        if seconds is None and aligned and isinstance(steps[number], dict):
            candidate = steps[number]
            if candidate.get("name") == name:
                seconds = _seconds(candidate.get("duration"))
        found.append(seconds)
    return found


def _seconds(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return None


def _section(found: Sequence[Heading], line: int) -> int:
    """The line of the heading a line stands under (0 before the first heading)."""
    above = [h.line for h in found if h.line < line]
    return above[-1] if above else 0


def shown(seconds: float) -> str:
    """A duration as an instructor reads it at a glance.

    >>> [shown(s) for s in (0.42, 12.4, 65, 3725)]
    ['0.4s', '12s', '1m05s', '62m05s']
    """
    if seconds < 10:
        return f"{seconds:.1f}s"
    if seconds < 60:
        return f"{seconds:.0f}s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m{rest:02d}s"
