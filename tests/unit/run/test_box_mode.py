"""How the machine boxes a page is asked early, in the background, and answered as before.

`unshare` here is a stand-in first on PATH (the real one is asked by test_namespace.py), so
each answer (it works, it fails with a reason, it is missing) is the one the box would get.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from guiderunner.run.box import mode


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    """Every test asks anew (the answers are kept per process)."""
    mode.box_mode.cache_clear()
    mode._asking.cache_clear()
    yield
    mode.box_mode.cache_clear()
    mode._asking.cache_clear()


def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unshare: str) -> Path:
    """`unshare` (and `nsenter`) first on PATH; `unshare` logs each call to the returned file."""
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "calls"
    script = f'#!/bin/sh\necho "$*" >>"{log}"\n{unshare}\n'
    (folder / "unshare").write_text(script, encoding="utf-8")
    (folder / "nsenter").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    for name in ("unshare", "nsenter"):
        (folder / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("RUNNER_BOX", raising=False)
    return log


def first_mode() -> str:
    return "root" if os.geteuid() == 0 else "user"


def test_asked_early_the_answer_is_the_same_and_asked_once(tmp_path, monkeypatch):
    log = stand_in(tmp_path, monkeypatch, "sleep 0.2; exit 0")
    began = time.monotonic()
    mode.start_asking()
    assert time.monotonic() - began < 0.15  # it did not wait for the answer
    assert mode.box_mode() == first_mode()
    assert mode.box_mode() == first_mode()
    assert len(log.read_text(encoding="utf-8").splitlines()) == 1
    assert log.read_text(encoding="utf-8").split()[-1] == "true"


def test_a_failing_unshare_is_named_once_and_the_page_runs_unboxed(tmp_path, monkeypatch, capsys):
    log = stand_in(tmp_path, monkeypatch, 'echo "unshare: operation not permitted" >&2; exit 1')
    mode.start_asking()
    assert mode.box_mode() is None
    assert mode.box_mode() is None
    said = capsys.readouterr().err
    assert said.count("runner: no namespaces here (unshare: operation not permitted)") == 1
    tried = log.read_text(encoding="utf-8").splitlines()
    assert len(tried) == (2 if os.geteuid() == 0 else 1)  # root, then a user namespace
    assert "--user" in tried[-1]


def test_without_nsenter_or_with_runner_box_off_nothing_is_asked(tmp_path, monkeypatch, capsys):
    log = stand_in(tmp_path, monkeypatch, "exit 0")
    monkeypatch.setenv("RUNNER_BOX", "off")
    mode.start_asking()
    assert mode.box_mode() is None
    assert "(RUNNER_BOX=off)" in capsys.readouterr().err
    mode.box_mode.cache_clear()
    monkeypatch.delenv("RUNNER_BOX")
    (tmp_path / "bin" / "nsenter").unlink()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert mode.box_mode() is None
    assert "(no nsenter command)" in capsys.readouterr().err
    assert not log.exists()


def test_a_forked_worker_asks_for_itself(tmp_path, monkeypatch):
    log = stand_in(tmp_path, monkeypatch, "exit 0")
    mode.start_asking()
    child = os.fork()
    if child == 0:  # the worker: its own question, its own answer
        os._exit(0 if mode.box_mode() == first_mode() else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert mode.box_mode() == first_mode()
    assert len(log.read_text(encoding="utf-8").splitlines()) == 2
