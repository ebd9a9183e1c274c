"""Cost of comparing a failed step's output: expected lines x actual lines, before and after.

    python bench/comparison.py [--before REF] [--cap 60] [--memory 3000]

Each case is a failure (one line differs in the middle, or far more lines printed than
expected) judged by `guiderunner.match.compare`, in a child process of its own: wall time of
the call, and the growth of the child's peak resident memory during it (`ru_maxrss`). Before
is the code at REF (`git archive`, default: the commit before the bounded comparison), run
under a `--cap` second timeout and a `--memory` MB address-space limit, so that a case that
needs 24 GB is reported as such instead of taking the machine down. After is this checkout.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BEFORE_REF = "47b009a"
CASES = [(1_000, 1_000), (3_000, 3_000), (10_000, 10_000), (100_000, 100_000), (300, 30_000)]

CHILD = """
import json, resource, sys, time
expected_n, actual_n, kind = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
from guiderunner.match import compare
from guiderunner.plan.expect import compile_lines
if kind == "middle":
    wanted = [f"line {i}" for i in range(expected_n)]
    printed = list(wanted)
    printed[expected_n // 2] = "line changed"
else:
    wanted = [f"step {i} ok" for i in range(expected_n)]
    printed = [f"progress {i}" for i in range(actual_n)]
patterns = compile_lines(wanted, regex=False)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
diff = compare(patterns, printed)
seconds = time.perf_counter() - start
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"seconds": seconds, "mb": grown / 1024, "diff_lines": len(diff)}))
"""


def measure(path: Path, n: int, m: int, seconds: float, memory: int) -> str:
    """One case in a child process: `1.23 s, 45 MB` or why it did not finish."""
    kind = "middle" if n == m else "longer"
    cap = memory << 20
    limit = f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))\n"
    try:
        done = subprocess.run(
            [sys.executable, "-c", limit + CHILD, str(n), str(m), kind],
            env={"PYTHONPATH": str(path), "PATH": "/usr/bin:/bin"},
            cwd=path,  # `python -c` puts the working directory first on sys.path
            capture_output=True,
            text=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"> {seconds:g} s (killed)"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return f"failed: {last[:40]}"
    result = json.loads(done.stdout)
    return f"{result['seconds']:.2f} s, {result['mb']:.0f} MB, {result['diff_lines']} diff lines"


def export(ref: str, into: Path) -> Path:
    """The guiderunner package as it was at `ref`."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", ref, "guiderunner"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default=BEFORE_REF, help="git ref of the old comparison")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds per case before")
    parser.add_argument("--memory", type=int, default=3000, help="MB per case before")
    parser.add_argument("--no-before", action="store_true", help="measure this checkout only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = None if args.no_before else export(args.before, Path(tmp))
        print(f"{'expected x actual':>20} | {'before':>36} | after")
        for n, m in CASES:
            before = measure(old, n, m, args.cap, args.memory) if old else "-"
            after = measure(REPO, n, m, args.cap, 8000)
            print(f"{n:>9,} x {m:<9,}| {before:>36} | {after}", flush=True)


if __name__ == "__main__":
    main()
