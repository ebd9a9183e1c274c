"""The bounded comparison (issue 22): the same answers as the full table, in bounded time."""

from __future__ import annotations

import time
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from guiderunner.match import compare
from guiderunner.match.align import Budget, align
from guiderunner.match.fit import fits
from guiderunner.match.script import Edit
from guiderunner.model import LinePattern
from guiderunner.plan.expect import compile_line, matches
from tests.unit.match import reference_align

WRITTEN = ["a", "b", "c", "...", "a...", "[ab] (re)", "x ... y"]
PRINTED = ["a", "b", "c", "ab", "x y", "x 1 y", ""]
patterns_st = st.lists(st.sampled_from(WRITTEN), max_size=9).map(
    lambda lines: [compile_line(line, regex=False) for line in lines]
)
actual_st = st.lists(st.sampled_from(PRINTED), max_size=9)


def script(edits: Sequence[object]) -> list[tuple[object, ...]]:
    return [(e.op, e.pattern, e.actual) for e in edits]  # type: ignore[attr-defined]


def valid(patterns: Sequence[LinePattern], actual: Sequence[str], edits: list[Edit]) -> bool:
    """Every pattern once in order; the actual lines in order, a `...` standing for any run."""
    if [e.pattern for e in edits if e.pattern is not None] != list(range(len(patterns))):
        return False
    tokens: list[object] = []
    for edit in edits:
        if edit.op == "keep" and edit.pattern is not None:
            pattern = patterns[edit.pattern]
            tokens.append(None if pattern.kind == "any-lines" else pattern)
        elif edit.op in ("replace", "insert"):
            tokens.append(edit.actual)
    return _glob(tokens, list(actual))


def _glob(tokens: list[object], lines: list[str]) -> bool:
    """Tokens (a pattern, a literal line, or None for any run) against lines, leftmost first."""
    runs: list[list[object]] = [[]]
    for token in tokens:
        if token is None:
            runs.append([])
        else:
            runs[-1].append(token)

    def at(run: list[object], where: int) -> bool:
        return all(
            matches(t, lines[where + k]) if isinstance(t, LinePattern) else t == lines[where + k]
            for k, t in enumerate(run)
        )

    if len(runs) == 1:
        return len(runs[0]) == len(lines) and at(runs[0], 0)
    first, *middle, last = runs
    end = len(lines) - len(last)
    if end < len(first) or not at(first, 0) or not at(last, end):
        return False
    position = len(first)
    for run in middle:
        found = next((w for w in range(position, end - len(run) + 1) if at(run, w)), None)
        if found is None:
            return False
        position = found + len(run)
    return True


@settings(max_examples=300, deadline=None)
@given(patterns_st, actual_st)
def test_small_inputs_get_the_very_script_of_the_full_table(patterns, actual):
    assert script(align(patterns, actual)) == script(reference_align.align(patterns, actual))


@settings(max_examples=300, deadline=None)
@given(patterns_st, actual_st)
def test_the_match_decision_agrees_with_the_full_table(patterns, actual):
    reference = reference_align.align(patterns, actual)
    assert fits(patterns, actual) == all(e.op == "keep" for e in reference)
    assert (compare(patterns, actual) == ()) == fits(patterns, actual)


@settings(max_examples=300, deadline=None)
@given(patterns_st, actual_st, st.sampled_from([0, 1, 4, 12]), st.sampled_from([0, 20, 10**6]))
def test_a_cut_problem_still_gets_a_valid_script(patterns, actual, piece, left):
    edits = align(patterns, actual, Budget(left=left, piece=piece))
    assert valid(patterns, actual, edits)
    if not fits(patterns, actual):
        assert any(e.op != "keep" for e in edits)


def test_no_budget_at_all_still_keeps_what_matches():
    patterns = [compile_line(t, regex=False) for t in ["a", "b", "c"]]
    edits = align(patterns, ["a", "X", "c"], Budget(left=0, piece=0))
    assert script(edits) == [("keep", 0, None), ("replace", 1, "X"), ("keep", 2, None)]


def _lines(n: int) -> list[str]:
    return [f"line {i}" for i in range(n)]


def test_a_100000_line_failure_reports_in_seconds_with_its_first_difference():
    wanted = _lines(100_000)
    printed = list(wanted)
    printed[70_000] = "line changed"
    patterns = [compile_line(t, regex=False) for t in wanted]
    start = time.monotonic()
    diff = compare(patterns, printed)
    assert time.monotonic() - start < 10
    assert "-line 70000" in diff
    assert "+line changed" in diff
    assert "@@ -69998,7 +69998,7 @@" in diff
    assert len(diff) < 20


def test_outputs_with_nothing_in_common_give_a_short_diff_and_counts():
    patterns = [compile_line(t, regex=False) for t in _lines(50_000)]
    printed = [f"other {i}" for i in range(50_000)]
    start = time.monotonic()
    diff = compare(patterns, printed)
    assert time.monotonic() - start < 15
    assert len(diff) < 120
    assert diff[2].startswith("@@ -1,50000 +1,50000 @@")
    assert any(line.startswith("… ") and "more lines" in line for line in diff)


def test_many_scattered_differences_show_the_first_places_and_count_the_rest():
    wanted = _lines(2_000)
    printed = [f"LINE {i}" if i % 100 == 50 else line for i, line in enumerate(wanted)]
    diff = compare([compile_line(t, regex=False) for t in wanted], printed)
    assert "+LINE 50" in diff
    assert "+LINE 250" in diff
    assert "+LINE 350" not in diff
    rest = "… 34 more differing lines in 17 more places (expected 2000 lines, actual 2000)"
    assert diff[-1] == rest


def test_a_deadline_already_past_still_gives_a_diff():
    patterns = [compile_line(t, regex=False) for t in _lines(3_000)]
    printed = [f"x{i}" for i in range(3_000)]
    budget = Budget(deadline=time.monotonic() - 1)
    edits = align(patterns, printed, budget)
    assert valid(patterns, printed, edits)
    assert [e.op for e in edits] == ["replace"] * 3_000


def test_a_trailing_ellipsis_over_a_huge_output_matches_without_alignment():
    patterns = [compile_line(t, regex=False) for t in ["start", "...", "done ... s", "..."]]
    printed = ["start", *(f"noise {i}" for i in range(200_000)), "done in 3 s", "bye"]
    start = time.monotonic()
    assert compare(patterns, printed) == ()
    assert time.monotonic() - start < 3
