"""The record `runner reset` reads: sessions while they run, what reset removes and leaves."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

from guiderunner.run.box import leftovers as record
from guiderunner.run.box.workspace import PREFIX


def test_a_session_is_recorded_updated_and_forgotten(tmp_path):
    session = record.open_session(tmp_path, "abc", tmp_path / "w")
    docker = record.docker_record(tmp_path, "abc")
    record.save_session(tmp_path, replace(session, docker_record=str(docker)))
    saved = json.loads((tmp_path / record.RECORD).read_text())["sessions"]["abc"]
    assert saved["docker_record"] == str(docker)
    assert record.owner_alive(session)
    record.close_session(tmp_path, "abc")
    assert json.loads((tmp_path / record.RECORD).read_text())["sessions"] == {}


@pytest.fixture(autouse=True)
def _claims_of_our_own(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Claims are machine-wide: a dead run of another session would add a line to a reset's."""
    monkeypatch.setenv("RUNNER_CLAIMS", str(tmp_path_factory.mktemp("claims")))


def test_reset_leaves_a_live_session_alone(tmp_path):
    record.open_session(tmp_path, "live", tmp_path / "w")
    assert record.reset(tmp_path) == [
        f"left alone: the run of process {os.getpid()} (still running)"
    ]


def test_reset_removes_a_dead_session_workspace_and_nothing_outside_temp(tmp_path):
    root = Path(tempfile.mkdtemp(prefix=PREFIX))
    (root / "sample").mkdir()
    dead = record.Session("dead", pid=2**22 + 1, started="0", workspace=str(root / "sample"))
    record.save_session(tmp_path, dead)
    outside = tmp_path / f"{PREFIX}kept" / "sample"
    outside.mkdir(parents=True)
    record.keep_workspace(tmp_path, outside)
    done = record.reset(tmp_path)
    assert done == [f"removed workspace {root}"]
    assert not root.exists()
    assert outside.exists()
    assert record.reset(tmp_path) == []


def test_a_damaged_record_is_an_empty_one(tmp_path):
    (tmp_path / record.RECORD).write_text("{not json")
    assert record.reset(tmp_path) == []


def test_the_record_lives_under_xdg_state_home():
    folder = record.record_dir({"XDG_STATE_HOME": "/state"})
    assert folder == Path("/state") / "stockkube-runner"
