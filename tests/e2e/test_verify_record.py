"""`runner verify --record DIR` with a real bash: what it writes, and how it meets the cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guiderunner.report.recording import read_recording

pytestmark = pytest.mark.timeout(120)

PAGE = """\
# Recorded

```console
$ echo one
one
```

<!-- runner: hidden
```console
$ echo "set-up nobody sees"
set-up nobody sees
```
-->

```console
$ echo two
two
```
"""


def test_a_page_is_recorded_once_and_again_when_its_recording_is_gone(runner, page, tmp_path):
    path = page(PAGE, "recorded.md")
    record = tmp_path / "rec"
    first = runner("verify", "--record", record, path)
    assert first.status == 0, first.out + first.err
    cast = record / "recorded.cast"
    assert [m.line for m in read_recording(cast).markers] == [4, 16], "the hidden step is left out"
    assert "set-up nobody sees" not in cast.read_text(encoding="utf-8")
    index = json.loads((record / "recordings.json").read_text(encoding="utf-8"))
    assert index["pages"]["en"]["recorded.md"]["passed"] is True

    again = runner("verify", "--record", record, path)
    assert "cached: " in again.out, "passed and recorded: nothing to run"
    cast.unlink()
    third = runner("verify", "--record", record, path)
    assert "cached: " not in third.out, "its recording is gone: it runs again"
    assert cast.is_file()


def test_a_partial_run_is_not_recorded(runner, page, tmp_path: Path):
    path = page(PAGE, "recorded.md")
    run = runner("verify", "--until", "1", "--record", tmp_path / "rec", path)
    assert run.status == 0, run.out + run.err
    assert not (tmp_path / "rec" / "recorded.cast").exists()
