"""JUnit XML: one test case per step, one suite per page, for CI systems."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from runner.model import PageResult, Verdict
from runner.report.text import describe, failure_details, kind


class JUnitReporter:
    """Collects nothing while running; writes the file when the run is finished."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def step_finished(self, path: str, verdict: Verdict) -> None:
        """Nothing to do until the end."""

    def run_finished(self, results: Sequence[PageResult]) -> None:
        """Write the XML file."""
        root = ET.Element("testsuites", name="runner")
        for result in results:
            root.append(_suite(result))
        self._path.parent.mkdir(parents=True, exist_ok=True)
        ET.ElementTree(root).write(self._path, encoding="utf-8", xml_declaration=True)


def _suite(result: PageResult) -> ET.Element:
    outcomes = [v.outcome for v in result.verdicts]
    suite = ET.Element(
        "testsuite",
        name=result.path,
        tests=str(len(outcomes)),
        failures=str(outcomes.count("failed")),
        errors=str(outcomes.count("error")),
        skipped=str(outcomes.count("skipped")),
        time=f"{result.duration:.3f}",
    )
    for verdict in result.verdicts:
        suite.append(_case(result.path, verdict))
    return suite


def _case(path: str, verdict: Verdict) -> ET.Element:
    step = verdict.step
    case = ET.Element(
        "testcase",
        classname=path,
        name=f"{step.span.start}: {kind(step)}: {describe(step)}",
        file=step.span.path,
        line=str(step.span.start),
        time=f"{verdict.observation.duration:.3f}",
    )
    if verdict.outcome == "skipped":
        ET.SubElement(case, "skipped", message=verdict.message)
    elif verdict.outcome in ("failed", "error"):
        tag = "failure" if verdict.outcome == "failed" else "error"
        detail = ET.SubElement(case, tag, message=f"{step.span}: {verdict.message}")
        detail.text = failure_details(verdict)
    return case
