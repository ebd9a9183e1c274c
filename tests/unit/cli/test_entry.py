"""The console script's entry: the exit status passes through, the collector runs for the command.

entry() keeps the collector off while the command table loads and freezes what exists (at
that point and at the end) out of later collections: the command itself runs with it on.
"""

from __future__ import annotations

import gc

import pytest

import guiderunner.cli.main
from guiderunner.cli import entry


@pytest.fixture
def unfrozen():
    """The test process's collector as it was (entry() freezes what exists)."""
    yield
    gc.unfreeze()
    gc.enable()


def test_the_command_runs_with_the_collector_on_and_its_status_is_the_exit(monkeypatch, unfrozen):
    seen: list[tuple[bool, int]] = []

    def command(argv):
        seen.append((gc.isenabled(), gc.get_freeze_count()))
        return 3

    monkeypatch.setattr(guiderunner.cli.main, "main", command)
    monkeypatch.setattr("sys.argv", ["runner", "verify"])
    with pytest.raises(SystemExit) as ended:
        entry()
    assert ended.value.code == 3
    assert seen[0][0]  # the collector is on while the command runs...
    assert seen[0][1] > 0  # ...and what the imports made is frozen out of its walks
    assert gc.isenabled()


def test_ctrl_c_while_loading_still_ends_with_one_line(monkeypatch, capsys, unfrozen):
    def interrupted(argv):
        raise KeyboardInterrupt

    monkeypatch.setattr(guiderunner.cli.main, "main", interrupted)
    with pytest.raises(SystemExit) as ended:
        entry()
    assert ended.value.code == 130
    assert capsys.readouterr().err == "runner: interrupted before anything started\n"
    assert gc.isenabled()
