"""The whole result as JSON: steps, outcomes, durations, and the tools it was verified with.

Each step that prints carries its output, secrets already masked by the run's output filters.
Each page carries its environment fingerprint (run.docker.fingerprint): the Docker client and
engine, the builder, OS and architecture, and the base images it used. Reports of runs in
several environments (BuildKit, then the legacy builder, or a CI matrix of shards) merge into
one with `runner report merge` (guiderunner.report.merge), which keeps each page once per builder:
the site's badge then names every environment.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from guiderunner.model import PageResult, Verdict
from guiderunner.report.text import describe, kind
from guiderunner.run.tools import tool_versions

OUTPUT_KINDS = frozenset({"command", "start", "stop"})
"""Steps whose output the report keeps (masked, as every observation is): the site shows it
where a page's expected output varies (guiderunner.site.outputs)."""


class JsonReporter:
    """Writes the JSON file when the run is finished."""

    def __init__(
        self,
        path: Path,
        page_hashes: dict[str, str] | None = None,
        fingerprints: Mapping[str, Mapping[str, Any]] | None = None,
        tools: Mapping[str, str | None] | None = None,
    ) -> None:
        self._path = path
        self._hashes = page_hashes or {}
        self._fingerprints = fingerprints if fingerprints is not None else {}
        """Read when the run is finished: the caller fills it as pages run."""
        self._tools = tools
        """The tool versions the run already knows (the verify cache's); asked when None."""

    def step_finished(self, path: str, verdict: Verdict) -> None:
        """Nothing to do until the end."""

    def run_finished(self, results: Sequence[PageResult]) -> None:
        """Write the file."""
        document = {
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "environment": dict(self._tools) if self._tools is not None else tool_versions(),
            "passed": all(r.passed for r in results),
            "pages": [self._page(r) for r in results],
        }
        self._path.parent.mkdir(parents=True, exist_ok=True)
        self._path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")

    def _page(self, result: PageResult) -> dict[str, object]:
        return {
            "path": result.path,
            "content_hash": self._hashes.get(result.path),
            "passed": result.passed,
            "cached": result.cached is not None,
            **({"verified_at": result.cached} if result.cached else {}),
            **({"same_plan_as": result.same_plan_as} if result.same_plan_as else {}),
            "duration": round(result.duration, 3),
            "fingerprint": dict(self._fingerprints.get(result.path) or {}) or None,
            "steps": [_step(v) for v in result.verdicts],
        }


def _step(verdict: Verdict) -> dict[str, object]:
    step, observation = verdict.step, verdict.observation
    return {
        "line": step.span.start,
        "kind": kind(step),
        "name": describe(step),
        "outcome": verdict.outcome,
        "message": verdict.message,
        "status": observation.status,
        "duration": round(observation.duration, 3),
        "diff": list(verdict.diff),
        **({"output": observation.output} if kind(step) in OUTPUT_KINDS else {}),
    }
