"""A page recorded through its lifecycle's seams, with a real bash: what `verify --record` does."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from guiderunner.match import judge
from guiderunner.parse import parse_guide
from guiderunner.plan import PlanSettings, plan_guide
from guiderunner.report.asciicast import Recorder
from guiderunner.report.page_recording import PageRecording, combined
from guiderunner.report.recording import read_recording
from guiderunner.run.lifecycle import PageOptions, run_page
from guiderunner.run.seams import Extensions

PAGE = """\
# A page

```console
$ echo s3cret
***
```

```text title="notes.txt"
a file
```

<!-- runner: skip="not today" -->
```console
$ echo skipped
```

```console
$ cat notes.txt; printf 'caf\\xc3\\xa9\\n'
a file
café
```
"""


@pytest.mark.timeout(60)
def test_a_page_recorded_through_its_seams(tmp_path: Path):
    settings = PlanSettings(timeout=20, ready_timeout=10, placeholders={}, sample=None, environ={})
    plan = plan_guide(parse_guide("page.md", PAGE), settings)
    mask = combined([lambda text: text.replace("s3cret", "***")])
    with Recorder(tmp_path / "page.cast", "page.md", mask=mask) as recorder:
        recording = PageRecording(recorder)
        extensions = Extensions(
            output_filters=(mask,),
            raw_observers=(recording.raw,),
            step_started=(recording.step_started,),
        )
        options = PageOptions(
            sample=None,
            base_env=dict(os.environ),
            extra_env={},
            record=tmp_path / "record",
            extensions=extensions,
        )
        result = run_page(plan, options, judge, keep_going=False)
    assert [v.outcome for v in result.verdicts] == ["passed", "passed", "skipped", "passed"]

    raw = (tmp_path / "page.cast").read_text(encoding="utf-8")
    assert "s3cret" not in raw
    assert "]777;" not in raw  # OSC 777 (a time may hold 777)
    events = [json.loads(line) for line in raw.splitlines()[1:]]
    screen = "".join(e[2] for e in events if e[1] == "o").replace("\r", "")
    assert screen == "$ echo ***\n***\n$ cat notes.txt; printf 'caf\\xc3\\xa9\\n'\na file\ncafé\n"
    markers = read_recording(tmp_path / "page.cast").markers
    assert [(m.line, m.label) for m in markers] == [
        (4, "4: echo ***"),
        (8, "8: write notes.txt"),
        (18, "18: cat notes.txt; printf 'caf\\xc3\\xa9\\n'"),
    ]
