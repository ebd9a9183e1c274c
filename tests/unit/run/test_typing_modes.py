"""The cheap first search of modes.may_edit answers as EDITING_ON alone would."""

from __future__ import annotations

import pytest

from guiderunner.run.shell import modes

LINES = [
    "echo line-1",
    "set -o emacs",
    "set -o vi",
    "set -ovi",
    "bind -x x",
    "source venv/bin/activate",
    ". venv/bin/activate",
    "true; . ./env",
    "true&& . x",
    "exec bash",
    "bash",
    "cat ~/.bashrc",
    "cat ~/.inputrc",
    "ls ./x",
    "echo a.b",
    "evil",
    "viz",
    "echo emacsen",
    "",
    "é . é",
    "x|. y",
]


@pytest.mark.parametrize("line", LINES)
def test_may_edit_agrees_with_the_full_pattern(line: str) -> None:
    assert modes.may_edit(line) is (modes.EDITING_ON.search(line) is not None)
