"""Matching cost of an expected line with several inline `...` against a 2,000-character line.

    python bench/matching.py [--cap 20] [--length 2000]

Before: the old rule, `...` compiled to `.*` (a backtracking regex, `re.fullmatch`). After: the
rule of guiderunner.plan.expect, the literal pieces found in order (`str.find`). Each case is the
worst kind for backtracking: a line made of the pieces over and over that fails at its very
end. The old rule is timed in a child process, killed after `--cap` seconds. Times are the best
of 5 runs (after) or one run (before), wall clock.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from guiderunner.plan.expect import compile_line, matches  # noqa: E402

BEFORE = """
import re, sys, time
expected, line = sys.stdin.read().split("\\0")
pattern = re.compile(".*".join(re.escape(p) for p in expected.split("...")), re.DOTALL)
start = time.perf_counter()
found = pattern.fullmatch(line) is not None
print(time.perf_counter() - start, found)
"""


def case(wildcards: int, length: int) -> tuple[str, str]:
    """An expected line with `wildcards` inline `...`, and a line that almost matches it."""
    expected = "a" + " ... a" * wildcards + " b"
    line = ("a " * (length // 2))[: length - 1] + "c"
    return expected, line


def before(expected: str, line: str, cap: float) -> str:
    try:
        done = subprocess.run(
            [sys.executable, "-c", BEFORE],
            input=f"{expected}\0{line}",
            capture_output=True,
            text=True,
            timeout=cap,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return f"> {cap:g} s (killed)"
    seconds, _found = done.stdout.split()
    return f"{float(seconds) * 1000:.3f} ms"


def after(expected: str, line: str) -> str:
    pattern = compile_line(expected, regex=False)
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        matches(pattern, line)
        best = min(best, time.perf_counter() - start)
    return f"{best * 1_000_000:.1f} µs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cap", type=float, default=20.0, help="seconds before `before` is killed")
    parser.add_argument("--length", type=int, default=2000, help="characters in the actual line")
    parser.add_argument("--wildcards", type=int, nargs="*", default=[4, 7])
    args = parser.parse_args()
    print(f"{'wildcards':>9}  {'line':>6}  {'before (.* regex)':>20}  {'after (str.find)':>16}")
    for wildcards in args.wildcards:
        expected, line = case(wildcards, args.length)
        print(
            f"{wildcards:>9}  {len(line):>6}  {before(expected, line, args.cap):>20}  "
            f"{after(expected, line):>16}"
        )


if __name__ == "__main__":
    main()
