"""The reporters on hand-made verdicts: terminal lines, JUnit XML, the JSON document."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest

from guiderunner.model import (
    Command,
    LinePattern,
    Observation,
    PageResult,
    Span,
    Verdict,
    WriteFile,
)
from guiderunner.report import json_report
from guiderunner.report.junit import JUnitReporter
from guiderunner.report.terminal import TerminalReporter
from guiderunner.report.text import describe, failure_details, kind, step_summary

COMMAND = Command(
    Span("page.md", 3, 3), "echo hi", "echo hi", (LinePattern("exact", "hi"),), 0, 30.0
)
FILE = WriteFile(Span("page.md", 7, 9), "app/a.txt", "a\n")
PASSED = Verdict(Observation(COMMAND, "hi\r\n", 0, 0.25), "passed")
FAILED = Verdict(Observation(COMMAND, "ho\r\n", 0, 0.5), "failed", "output differs", ("-hi", "+ho"))
SKIPPED = Verdict(Observation(FILE, skipped="not run"), "skipped", "not run")
RESULT = PageResult("page.md", (PASSED, FAILED, SKIPPED), 1.5)


def test_step_words_come_from_the_step_kind():
    assert (kind(COMMAND), describe(COMMAND)) == ("command", "echo hi")
    assert (kind(FILE), describe(FILE)) == ("file", "write app/a.txt")
    assert step_summary(COMMAND) == "command  echo hi  (timeout 30s)"


def test_failure_details_show_command_diff_output_and_status():
    details = failure_details(FAILED)
    assert "at page.md:3: output differs" in details
    assert "      -hi\n      +ho" in details
    assert "      | ho" in details
    assert "exit status: 0" in details


def test_terminal_reporter_prints_a_line_per_step_and_totals():
    out = io.StringIO()
    reporter = TerminalReporter(out, color=False)
    for verdict in RESULT.verdicts:
        reporter.step_finished("page.md", verdict)
    reporter.run_finished([RESULT])
    text = out.getvalue()
    assert "  PASS    3  echo hi  (0.25s)" in text
    assert "  FAIL    3  echo hi  (0.50s)" in text
    assert "  SKIP    7  write app/a.txt  [not run]" in text
    assert re.search(r"1 passed, 1 failed, 0 error, 1 skipped in 1\.5s", text)


def test_junit_has_one_case_per_step_with_counts(tmp_path):
    path = tmp_path / "out" / "junit.xml"
    JUnitReporter(path).run_finished([RESULT])
    suite = ET.parse(path).getroot().find("testsuite")
    assert suite is not None
    counts = (suite.get("tests"), suite.get("failures"), suite.get("skipped"))
    assert counts == ("3", "1", "1")
    failure = suite.findall("testcase")[1].find("failure")
    assert failure is not None
    assert failure.get("message") == "page.md:3: output differs"


def test_json_report_holds_pages_steps_hashes_and_tools(tmp_path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(json_report, "tool_versions", lambda: {"bash": "5.2"})
    path = tmp_path / "report.json"
    json_report.JsonReporter(path, page_hashes={"page.md": "abc"}).run_finished([RESULT])
    document = json.loads(path.read_text())
    assert document["environment"] == {"bash": "5.2"}
    assert document["passed"] is False
    page = document["pages"][0]
    assert page["content_hash"] == "abc"
    assert [s["outcome"] for s in page["steps"]] == ["passed", "failed", "skipped"]
    assert page["steps"][1]["diff"] == ["-hi", "+ho"]
    assert [s.get("output") for s in page["steps"]] == ["hi\r\n", "ho\r\n", None]
