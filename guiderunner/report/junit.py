"""JUnit XML: one test case per step, one suite per page, for CI systems.

The XML is built from plain `Case` and `Suite` values, so that a run's verdicts
(`JUnitReporter`) and the pages of merged JSON reports (report.merge) give the same file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from guiderunner.model import NOT_PASSING, PageResult, Verdict
from guiderunner.report.text import describe, failure_details, kind


@dataclass(frozen=True, slots=True)
class Case:
    """One step as a JUnit test case."""

    line: int | str
    """Where the step starts on its page."""
    name: str
    """`line: kind: what it does`."""
    file: str
    """The page the step is on."""
    seconds: float
    """How long it took."""
    outcome: str
    """passed, failed, error or skipped."""
    message: str = ""
    """The verdict's one line (why it failed, or why it was skipped)."""
    details: str = ""
    """What the terminal report shows for a failure."""


@dataclass(frozen=True, slots=True)
class Suite:
    """One page as a JUnit test suite."""

    path: str
    """The page."""
    seconds: float
    """How long the page took."""
    cases: tuple[Case, ...]
    """Its steps."""


def write_suites(suites: Iterable[Suite], path: Path) -> None:
    """Write the JUnit file: a `testsuites` of one suite per page."""
    root = ET.Element("testsuites", name="runner")
    for suite in suites:
        root.append(_suite(suite))
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


class JUnitReporter:
    """Collects nothing while running; writes the file when the run is finished."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def step_finished(self, path: str, verdict: Verdict) -> None:
        """Nothing to do until the end."""

    def run_finished(self, results: Sequence[PageResult]) -> None:
        """Write the XML file."""
        write_suites((_result_suite(result) for result in results), self._path)


def _result_suite(result: PageResult) -> Suite:
    return Suite(result.path, result.duration, tuple(_verdict_case(v) for v in result.verdicts))


def _verdict_case(verdict: Verdict) -> Case:
    step = verdict.step
    failed = verdict.did_not_pass
    return Case(
        line=step.span.start,
        name=f"{step.span.start}: {kind(step)}: {describe(step)}",
        file=step.span.path,
        seconds=verdict.observation.duration,
        outcome=verdict.outcome,
        message=f"{step.span}: {verdict.message}" if failed else verdict.message,
        details=failure_details(verdict) if failed else "",
    )


def _suite(suite: Suite) -> ET.Element:
    outcomes = [case.outcome for case in suite.cases]
    element = ET.Element(
        "testsuite",
        name=suite.path,
        tests=str(len(outcomes)),
        failures=str(outcomes.count("failed")),
        errors=str(outcomes.count("error")),
        skipped=str(outcomes.count("skipped")),
        time=f"{suite.seconds:.3f}",
    )
    for case in suite.cases:
        element.append(_case(suite.path, case))
    return element


def _case(path: str, case: Case) -> ET.Element:
    element = ET.Element(
        "testcase",
        classname=path,
        name=case.name,
        file=case.file,
        line=str(case.line),
        time=f"{case.seconds:.3f}",
    )
    if case.outcome == "skipped":
        ET.SubElement(element, "skipped", message=case.message)
    elif case.outcome in NOT_PASSING:
        tag = "failure" if case.outcome == "failed" else "error"
        ET.SubElement(element, tag, message=case.message).text = case.details
    return element
