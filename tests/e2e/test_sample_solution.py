"""The sample solution builds and its own .NET tests pass, from a fresh copy."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

SAMPLE_SOLUTION = Path(__file__).resolve().parents[2] / "sample-solution"

# VSTest's closing line, e.g. "Passed!  - Failed:     0, Passed:    21, Skipped:     0, ..."
VSTEST_SUMMARY = re.compile(r"Failed:\s+(?P<failed>\d+),\s+Passed:\s+(?P<passed>\d+)")
# The terminal logger's closing line, e.g. "Test summary: total: 21, failed: 0, succeeded: 21, ..."
TERMINAL_SUMMARY = re.compile(r"failed:\s+(?P<failed>\d+),\s+succeeded:\s+(?P<passed>\d+)")


def _summary(output: str) -> tuple[int, int]:
    """Add up passed and failed over every test assembly's summary line."""
    passed = failed = 0
    found = False
    for pattern in (VSTEST_SUMMARY, TERMINAL_SUMMARY):
        for match in pattern.finditer(output):
            found = True
            passed += int(match["passed"])
            failed += int(match["failed"])
        if found:
            break
    assert found, f"no test summary in the output of dotnet test:\n{output}"
    return passed, failed


@pytest.mark.dotnet
@pytest.mark.timeout(900)
def test_dotnet_test_passes_on_a_fresh_copy(tmp_path: Path) -> None:
    dotnet = shutil.which("dotnet")
    if dotnet is None:
        pytest.skip("the .NET SDK (dotnet) is not on PATH")

    solution = tmp_path / "sample-solution"
    shutil.copytree(
        SAMPLE_SOLUTION,
        solution,
        ignore=shutil.ignore_patterns("bin", "obj", "TestResults"),
    )

    env = {
        **os.environ,
        "DOTNET_NOLOGO": "1",
        "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
        "DOTNET_CLI_UI_LANGUAGE": "en",
    }
    result = subprocess.run(
        [dotnet, "test"],
        cwd=solution,
        env=env,
        capture_output=True,
        text=True,
        timeout=840,
        check=False,
    )
    output = result.stdout + result.stderr

    assert result.returncode == 0, f"dotnet test exited {result.returncode}:\n{output}"
    passed, failed = _summary(output)
    assert failed == 0, output
    assert passed > 0, output
    # The solution is built with TreatWarningsAsErrors; say so plainly if a warning slips through.
    assert not re.search(r"\bwarning [A-Z]+\d+", output), output
