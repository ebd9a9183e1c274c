"""The report's runs per page: which actual lines each expected line stood for, and by command."""

from __future__ import annotations

from guiderunner.plan.expect import compile_lines
from guiderunner.site.outputs import Run, fit, page_runs, read_runs


def test_each_ellipsis_takes_as_few_lines_as_it_can() -> None:
    patterns = compile_lines(["...", "x", "...", "y"], regex=False)
    assert fit(patterns, ["a", "x", "x", "b", "y"]) == (("a",), ("x",), ("x", "b"), ("y",))
    assert fit(patterns, ["x", "y"]) == ((), ("x",), (), ("y",))
    assert fit(patterns, ["x"]) is None
    assert fit(compile_lines([r"\d+ (re)"], regex=False), ["12", "13"]) is None


def test_runs_follow_blocks_and_commands_and_prefer_a_services_stop_step() -> None:
    steps = [
        {
            "line": 3,
            "kind": "command",
            "name": "$ echo one",
            "outcome": "passed",
            "output": "one\n",
        },
        {"line": 5, "kind": "command", "name": "$ echo 2", "outcome": "passed", "output": "2\n"},
        {"line": 9, "kind": "start", "outcome": "passed", "output": "starting\n"},
        {"line": 9, "kind": "stop", "outcome": "passed", "output": "starting\nstopped\n"},
        {"line": 12, "kind": "command", "name": "$ x", "outcome": "skipped"},
        {"line": 20, "kind": "file", "outcome": "passed"},
    ]
    commands = [
        [(3, "echo one", "$ echo one"), (5, "echo two", "$ echo two")],
        [(9, "serve", "$ serve"), (12, "x", "$ x")],
    ]
    runs = page_runs(commands, steps)
    assert runs == [
        [{"text": "echo one", "output": "one\n", "outcome": "passed"}, None],  # not echo 2's
        [
            {"text": "serve", "output": "starting\nstopped\n", "outcome": "passed"},
            {"text": "x", "output": None, "outcome": "skipped"},
        ],
    ]
    assert read_runs(runs)[1][0] == Run("serve", "starting\nstopped\n", "passed")


def test_malformed_runs_read_as_none() -> None:
    assert read_runs(None) == []
    assert read_runs([[{"output": 3}, "x", {"text": "a", "output": 3}]]) == [
        [None, None, Run("a", None, "")]
    ]
