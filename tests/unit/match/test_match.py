from __future__ import annotations

from pathlib import Path

import pytest

from guiderunner.match import compare, judge, normalise
from guiderunner.model import Command, Observation, Span
from guiderunner.plan.expect import compile_lines

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "match"


def read_cases(path: Path):
    """Cases separated by lines `=== title`, with `--- expected`, `--- actual`, `--- result`."""
    text = path.read_text(encoding="utf-8")
    for chunk in text.split("=== ")[1:]:
        title, _, rest = chunk.partition("\n")
        parts = dict(part.split("\n", 1) for part in rest.split("--- ")[1:])
        yield pytest.param(
            parts["expected"].rstrip("\n").split("\n") if parts["expected"].strip() else [],
            parts["actual"].rstrip("\n").split("\n") if parts["actual"].strip() else [],
            parts["result"].strip(),
            id=title.strip(),
        )


@pytest.mark.parametrize(("expected", "actual", "result"), list(read_cases(FIXTURES / "lines.txt")))
def test_line_rules(expected: list[str], actual: list[str], result: str):
    diff = compare(compile_lines(expected, regex=False), actual)
    assert (not diff) == (result == "match"), "\n".join(diff)


def test_diff_shows_only_real_differences():
    expected = compile_lines(["start", "...", "id: ...", "end"], regex=False)
    diff = compare(expected, ["start", "noise 1", "noise 2", "id: 42", "END"])
    assert list(diff[2:]) == [
        "@@ -1,4 +1,4 @@",
        " start",
        " ...",
        " id: ...",
        "-end",
        "+END",
        "?^ column 1",
    ]


def test_block_regex_mode():
    expected = compile_lines([r"\d+ items", "done"], regex=True)
    assert not compare(expected, ["12 items", "done"])
    assert compare(expected, ["twelve items", "done"])


def test_normalise_strips_terminal_noise():
    raw = "\x1b[32mok\x1b[0m  \r\nstep 1/3\rstep 3/3\r\n\x1b]0;title\x07line\r\n\r\n"
    assert normalise(raw) == ["ok", "step 3/3", "line"]


def command(expected: list[str], status: int = 0) -> Command:
    return Command(
        Span("p.md", 3, 3), "x", "$ x", compile_lines(expected, regex=False), status, 5.0
    )


def test_status_is_checked_before_output():
    verdict = judge(Observation(command(["hi"], status=0), "hi\r\n", status=1))
    assert (verdict.outcome, verdict.message) == ("failed", "exit status 1, expected 0")


def test_expected_non_zero_status_passes():
    assert judge(Observation(command([], status=3), "", status=3)).outcome == "passed"


def test_errors_and_skips_are_not_failures():
    assert judge(Observation(command([]), error="timed out after 5s")).outcome == "error"
    assert judge(Observation(command([]), skipped="why")).outcome == "skipped"
