"""Linear `...` matching (issue 13 item 11) and diffs that show the difference (item 12)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guiderunner.match import compare
from guiderunner.plan.expect import compile_line, compile_lines, matches


def diff(expected: list[str], actual: list[str]) -> list[str]:
    return list(compare(compile_lines(expected, regex=False), actual))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.text("ab. ", max_size=4), min_size=2, max_size=5),
    st.text("ab. ", max_size=14),
)
def test_inline_ellipsis_means_what_the_old_regex_meant(pieces: list[str], line: str):
    text = "...".join(pieces).rstrip()
    pattern = compile_line(text, regex=False)
    if pattern.kind != "inline":
        return
    old = re.compile(".*".join(re.escape(p) for p in text.split("...")), re.DOTALL)
    assert matches(pattern, line) == (old.fullmatch(line) is not None)


def test_inline_lines_compile_to_pieces_not_to_a_regex():
    pattern = compile_line("a ... b ... c", regex=False)
    assert (pattern.kind, pattern.regex, pattern.pieces) == ("inline", None, ("a ", " b ", " c"))


@pytest.mark.timeout(10)
@pytest.mark.parametrize("wildcards", [4, 7, 12])
def test_many_wildcards_against_a_long_line_that_almost_matches(wildcards: int):
    # With `.*` between the pieces, backtracking made this take minutes.
    expected = " ".join(["a"] + ["... a"] * wildcards) + " b"
    line = "a " * 1000 + "c"
    assert len(line) > 2000
    assert diff([expected], [line])
    assert not diff([expected], ["a " * 1000 + "b"])


@pytest.mark.parametrize(
    ("expected", "actual", "minus", "plus", "caret"),
    [
        ("name\tvalue", "name    value", "-name\\tvalue", "+name    value", "?    ^ column 5"),
        ("caf\u00e9", "cafe\u0301", "-caf\u00e9", "+cafe\\u0301", "?   ^ column 4"),
        ("done", "done\x07", "-done", "+done\\x07", "?    ^ column 5"),
        ("a\u00a0b", "a b", "-a\\u00a0b", "+a b", "? ^ column 2"),
        ("zero\u200bwidth", "zerowidth", "-zero\\u200bwidth", "+zerowidth", "?    ^ column 5"),
        ("x\ry", "x y", "-x\\x0dy", "+x y", "? ^ column 2"),
    ],
)
def test_invisible_differences_are_shown_and_pointed_at(
    expected: str, actual: str, minus: str, plus: str, caret: str
):
    assert diff([expected], [actual])[3:] == [minus, plus, caret]


def test_one_character_off_in_a_10000_character_line_is_shown_in_a_window():
    before, after = "x" * 6000, "y" * 3999
    lines = diff([before + "A" + after], [before + "B" + after])
    minus, plus, caret = lines[3:]
    assert len(plus) < 120
    assert plus.startswith("+…")
    assert "B" in plus
    assert plus.endswith("… (10000 characters)")
    assert caret.endswith("^ column 6001")
    assert plus[caret.index("^")] == "B"
    assert minus[caret.index("^")] == "A"


def test_a_long_line_that_was_added_is_cut_too():
    lines = diff(["short"], ["short", "z" * 5000])
    assert lines[-1] == "+" + "z" * 100 + "… (5000 characters)"


def test_wide_characters_keep_the_caret_in_place():
    _minus, plus, caret = diff(["表 a"], ["表 b"])[3:]
    assert caret == "?   ^ column 3"
    assert plus == "+表 b"
