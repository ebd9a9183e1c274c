"""The chapter run N times at once on one engine (issue 20), and `verify -j 2` against `-j 1`.

    python bench/chapter_at_once.py [--runs 3] [--apart 2] [--jobs]

Starts N `runner verify --no-cache docs/create-docker-images.md`, `--apart` seconds apart,
each with a private XDG state. Prints each run's exit status and wall time, then what was left:
containers, networks and volumes named like the chapter's, image tags the chapter makes, and
processes of the runs. With `--jobs`, also times `runner verify -j 1` and `-j 2` over the
guide's pages (English), one after the other.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = ROOT / "docs" / "create-docker-images.md"
TAGS = ("stockdata:", "stockweb:", "stockkube/stockdata", "stockkube/stockweb", "localhost:15104/")


def verify(*args: str, state: Path) -> subprocess.Popen[str]:
    """`python -m guiderunner verify ARGS` with its own XDG state (records, claims stay shared)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_STATE_HOME": str(state)}
    # docs/run-in-ci.md runs `runner` itself, as ./dev main lets it: this Python's runner.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.Popen(
        [sys.executable, "-m", "guiderunner", "verify", "--no-cache", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


def docker_lines(*args: str) -> list[str]:
    """One line per object the docker command lists."""
    done = subprocess.run(["docker", *args], capture_output=True, text=True, check=False)
    return [line for line in done.stdout.splitlines() if line.strip()]


def leftovers() -> dict[str, list[str]]:
    """What the chapter makes that is still there."""
    images = docker_lines("image", "ls", "--format", "{{.Repository}}:{{.Tag}}")
    return {
        "containers": docker_lines("ps", "-a", "--filter", "name=stockkube-guide", "-q"),
        "networks": docker_lines("network", "ls", "--filter", "name=stockkube-guide", "-q"),
        "volumes": docker_lines("volume", "ls", "--filter", "name=stockkube-guide", "-q"),
        "tags": [i for i in images if i.startswith(TAGS)],
        "processes": [
            p.name
            for p in Path("/proc").iterdir()
            if p.name.isdigit() and b"create-docker-images" in _cmdline(p)
        ],
    }


def _cmdline(proc: Path) -> bytes:
    try:
        return (proc / "cmdline").read_bytes()
    except OSError:
        return b""


def at_once(runs: int, apart: float) -> None:
    """N runs of the chapter started `apart` seconds apart; each one's status and wall time."""
    with tempfile.TemporaryDirectory() as scratch:
        started, procs = [], []
        for number in range(runs):
            started.append(time.monotonic())
            procs.append(verify(str(CHAPTER), state=Path(scratch) / str(number)))
            time.sleep(apart)
        for number, proc in enumerate(procs):
            out, _ = proc.communicate()
            wall = time.monotonic() - started[number]
            last = out.strip().splitlines()[-1] if out.strip() else ""
            print(f"run {number + 1}: exit {proc.returncode} in {wall:.0f} s: {last}")
    print("left behind:", leftovers())


def jobs() -> None:
    """`verify -j 1` then `-j 2` over the guide's English pages that have steps."""
    pages = sorted(str(p) for p in (ROOT / "docs").glob("*.md") if "```console" in p.read_text())
    with tempfile.TemporaryDirectory() as scratch:
        for count in (1, 2):
            begun = time.monotonic()
            proc = verify("-j", str(count), *pages, state=Path(scratch) / str(count))
            out, _ = proc.communicate()
            print(f"-j {count}: exit {proc.returncode} in {time.monotonic() - begun:.0f} s")
            if proc.returncode:
                print(out[-2000:])


def main() -> None:
    """Parse the options and run the measurements."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--apart", type=float, default=2.0)
    parser.add_argument("--jobs", action="store_true")
    options = parser.parse_args()
    at_once(options.runs, options.apart)
    if options.jobs:
        jobs()


if __name__ == "__main__":
    main()
