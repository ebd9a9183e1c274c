"""Slides of `runner step`: the prose before each step, its note, and how a screen is fitted."""

from __future__ import annotations

import textwrap

import pytest

from guiderunner.markdown import headings
from guiderunner.parse import parse_guide
from guiderunner.plan import PlanSettings, plan_guide
from guiderunner.presenter.deck import Slide, search, slides, target
from guiderunner.presenter.keys import action
from guiderunner.presenter.projector import MORE, layout
from guiderunner.presenter.prose import render

PAGE = textwrap.dedent(
    """
    # Title

    Intro with `code` and a [link](https://example.com).

    ## Build

    1. first
    2. second

    <!-- runner: note Ask who used Docker before -->
    ```console
    $ echo one
    one
    $ echo two
    two
    ```

    <!-- runner: skip="not here" -->
    ```console
    $ echo three
    ```
    """
).lstrip()


def deck() -> tuple[tuple[Slide, ...], object]:
    guide = parse_guide("p.md", PAGE)
    settings = PlanSettings(timeout=20, ready_timeout=10, placeholders={}, sample=None, environ={})
    plan = plan_guide(guide, settings)
    return slides(plan, guide, PAGE, headings(PAGE)), plan


def test_each_step_has_the_prose_before_its_block_and_its_note():
    found, _ = deck()
    first, second, third = found
    assert first == second, "the steps of one block share its prose and note"
    assert first.note == "Ask who used Docker before"
    assert first.heading == "Build"
    text = [line.text for line in render(first.prose, 80)]
    assert text == [
        "Title",
        "",
        "Intro with `code` and a link.",
        "",
        "Build",
        "",
        "1. first",
        "2. second",
    ]
    assert third.note is None
    assert "note" not in third.prose, "a runner comment is not prose"
    assert [line.text for line in render(third.prose, 80)] == []


def test_search_and_goto_targets():
    found, plan = deck()
    assert search(plan, found, "ECHO TWO", 1) == 2
    assert search(plan, found, "intro with", 1) == 2, "prose counts; the search moves on"
    assert search(plan, found, "docker", 3) is None, "a note is not searched"
    assert target(plan, found, "goto", " 3 ", 1) == (3, "")
    assert target(plan, found, "goto", "0", 1) == (None, "no step 0: the page has steps 1 to 3")
    assert target(plan, found, "search", "", 1) == (None, "")
    assert target(plan, found, "search", "zzz", 1) == (None, "no step mentions 'zzz'")


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60), (20, 5)])
def test_a_screen_fits_its_terminal(size):
    columns, rows = size
    long_prose = "# Heading\n\n" + "\n\n".join(["A paragraph of prose, " * 20] * 8)
    block = ["$ " + "x" * 300, *(f"line {n}" for n in range(60))]
    fitted = layout(
        size, "--- step 1 of 9 | " + "h" * 300, Slide(long_prose, "n " * 100, None), block
    )
    width, height = max(columns, 40), max(rows, 12)
    lines = [fitted.header, *(t for t, _ in fitted.prose), *fitted.note, *fitted.block]
    assert all(len(line) < width for line in lines)
    assert fitted.output_top <= height - max(4, height // 3), "the output keeps its room"
    assert fitted.block[-1] == MORE, "a block too long says so"
    assert len(fitted.note) <= 3


def test_short_prose_is_shown_whole():
    fitted = layout((200, 60), "h", Slide("# Title\n\nOne line.", None, None), ["$ a"])
    assert [t for t, _ in fitted.prose] == ["Title", "", "One line."]
    assert fitted.prose[0][1], "a heading is marked"


@pytest.mark.parametrize(
    ("key", "wanted"),
    [("enter", "next"), ("space", "next"), ("right", "next"), ("left", "back"), ("G", "goto")],
)
def test_keys(key, wanted):
    assert action(key) == wanted
    assert action("x") is None
