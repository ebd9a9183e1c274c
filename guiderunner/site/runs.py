"""What `runner publish` hands the plugin about the last verified run of each page.

For each page whose current content (by content hash) passed in the JSON report, the actual
output of each command of its shown console blocks (guiderunner.site.outputs.page_runs), keyed by
the page's path in the docs folder. The plugin uses the same list for the page's translations,
whose code blocks are the English ones, and checks each command's text before it does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from guiderunner.plan.commands import typed
from guiderunner.site.badge import passing_entries
from guiderunner.site.console import page_commands
from guiderunner.site.outputs import page_runs

__all__ = ["report_runs", "write_runs"]


def report_runs(
    report: Mapping[str, Any] | None,
    hashes: Mapping[str, str],
    docs: Path,
    mask: Callable[[str], str] = str,
) -> dict[str, list[list[dict[str, Any] | None]]]:
    """Each page's runs, by page, for the pages the report verified as they are now.

    The report's output is masked already; `mask` (the run's secret mask) is applied again, so
    that a report written elsewhere, with other secrets set, cannot publish this machine's.
    """
    found: dict[str, list[list[dict[str, Any] | None]]] = {}
    if report is None:
        return found
    for page, digest in sorted(hashes.items()):
        entries = [e for e in passing_entries(report, page, {digest}) if e.get("steps")]
        if not entries:
            continue
        markdown = (docs / page).read_text(encoding="utf-8")
        commands = [
            [(c.span.start, typed(c.lines), c.lines[0]) for c in block]
            for block in page_commands(markdown)
        ]
        steps = [s for s in entries[0]["steps"] if isinstance(s, dict)]
        found[page] = [
            [None if r is None else {**r, "output": _masked(r["output"], mask)} for r in block]
            for block in page_runs(commands, steps)
        ]
    return found


def _masked(output: str | None, mask: Callable[[str], str]) -> str | None:
    return None if output is None else mask(output)


def write_runs(path: Path, runs: Mapping[str, Any]) -> Path:
    """The runs as the plugin reads them (build/outputs.json)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(runs, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
