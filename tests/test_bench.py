"""bench/run.py --short: the benchmark still runs (one round, small sizes, no real guide).

Nothing is timed here: the figures are printed, never compared. The test only keeps the
benchmark from rotting as the runner changes under it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_the_benchmark_runs_in_short_mode(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--short", "--out", str(tmp_path)],
        # The shells it compares with (plain bash, prysk's, byexample's) keep a history in HOME.
        env={**os.environ, "HOME": str(tmp_path / "home")},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {line.split()[0] for line in done.stdout.splitlines() if line.strip()}
    assert {"bash", "runner"} <= rows
    assert "terminal semantics: kept" in done.stdout
