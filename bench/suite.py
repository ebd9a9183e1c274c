"""The test suite's wall time: one pytest process against `./dev test`'s parts side by side.

    python bench/suite.py                  # both, serial first (about 25 minutes here)
    python bench/suite.py --parts-only     # `./dev test` alone
    python bench/suite.py -- tests/unit    # extra arguments go to pytest (both runs)

Issue 24 asks for the suite in at most half its serial wall time, every test kept. The serial
run is what the suite cost before the split: one `pytest` over every test (the chapter's tests
on the main engine). The parts are what `./dev test` runs: the engine's tests one at a time,
the chapter's tests on a second engine of their own, all the others beside them. Both need the
Docker toolchain up (`runner toolchain up`); each run's last line and its wall time are
printed (its whole output goes to bench/out/suite-<run>.log), then the ratio. The runs are
long: read the figures beside the machine's load, which is printed too.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


OUT = ROOT / "bench" / "out"


def timed(command: list[str], env: dict[str, str], log: Path) -> tuple[float, int, str]:
    """Seconds, exit status and last line of one run from the checkout's root; all in `log`."""
    began = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    wall = time.perf_counter() - began
    lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return wall, done.returncode, lines[-1] if lines else ""


def main() -> int:
    """Run what was asked and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts-only", action="store_true", help="skip the serial run")
    parser.add_argument("pytest_args", nargs="*", help="arguments for pytest (after --)")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "RUNNER_TEST_PART"}
    python = str(ROOT / ".venv" / "bin" / "python")
    runs = [("parts (./dev test)", ["./dev", "test", *args.pytest_args])]
    if not args.parts_only:
        serial = [python, "-m", "pytest", "-p", "no:cacheprovider", *args.pytest_args]
        runs.insert(0, ("serial (one pytest)", serial))
    walls = {}
    OUT.mkdir(exist_ok=True)
    for name, command in runs:
        load = os.getloadavg()[0]
        log = OUT / f"suite-{name.split()[0]}.log"
        wall, status, last = timed(command, env, log)
        walls[name] = wall
        print(f"{name:22} {wall:7.1f} s  exit {status}  load at start {load:.1f}  {last}")
        print(f"{'':22} every line: {log}")
    if len(walls) == 2:
        serial_wall, parts_wall = walls.values()
        print(f"parts / serial: {parts_wall / serial_wall:.2f} (target <= 0.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
