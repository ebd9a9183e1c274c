"""Where the whole runner's time per command goes, outside and inside the shell.

    python bench/runner_phases.py [--rounds 3] [--checkout DIR] [--before DIR]

`runner verify --no-cache echo-N.md` (bench/generate.py's pages of N `echo` steps) run in a
fresh interpreter of its own for N = 500 and 1500, with a clock around each phase: read
(the page read and parsed), plan, content hashes, and per step: the shell (the command
typed and awaited), the secrets learned, the output filters, the judge, the listeners (the
reporters' per-step work), the rest of the step; then the end (reporters' last word, cache).
Each phase's figure is its slope, (t(1500) - t(500)) / 1000 in microseconds: what one more
command costs. Best of `--rounds`. `--checkout DIR` measures another checkout's runner.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SIZES = (500, 1500)


def _clocked(owner: Any, name: str, totals: dict[str, float], label: str) -> None:
    """Wrap `owner.name` so that its time adds up under `label`."""
    inner: Callable[..., Any] = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            totals[label] = totals.get(label, 0.0) + time.perf_counter() - started

    setattr(owner, name, timed)


def child(page: str) -> None:
    """One run of `runner verify --no-cache page`, phases clocked; prints their totals."""
    from guiderunner import match
    from guiderunner.cli import main as cli_main
    from guiderunner.cli import pages
    from guiderunner.run import lifecycle

    totals: dict[str, float] = {}
    _clocked(pages, "parse_guide", totals, "read")
    _clocked(pages, "plan_guide", totals, "plan")
    from guiderunner.store import cache

    _clocked(cache, "content_hashes", totals, "hashes")
    _clocked(lifecycle.PageRun, "step", totals, "step, in all")
    _clocked(lifecycle, "observe", totals, "- the shell")
    _clocked(lifecycle, "learn_secrets", totals, "- secrets learned")
    _clocked(lifecycle.PageRun, "_filtered", totals, "- output filters")
    _clocked(match, "judge", totals, "- judge")
    _clocked(lifecycle.PageRun, "_tell", totals, "- listeners (reports)")
    started = time.perf_counter()
    with Path(os.devnull).open("w") as null:
        stdout, sys.stdout = sys.stdout, null
        try:
            cli_main.main(["verify", "--no-cache", page])
        except SystemExit:
            pass
        finally:
            sys.stdout = stdout
    totals["the command, in all"] = time.perf_counter() - started
    print(json.dumps(totals))


def measure(checkout: Path, page: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(checkout), "BENCH_CHECKOUT": str(checkout)}
    argv = [sys.executable, __file__, "--child", str(page)]
    done = subprocess.run(
        argv, env=env, cwd=page.parent, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"bench: {page} failed: {done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--checkout", type=Path, default=HERE.parent)
    parser.add_argument("--before", type=Path, help="another checkout, in the same rounds")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, os.environ.get("BENCH_CHECKOUT", str(HERE.parent)))
        child(args.child)
        return
    sys.path.insert(0, str(HERE))
    from generate import DEFAULT_OUT, generate

    paths = generate(DEFAULT_OUT, SIZES)
    checkouts = [args.checkout, *([args.before] if args.before else [])]
    best: dict[tuple[Path, str, int], float] = {}
    for _ in range(args.rounds):  # the checkouts alternate: a burst of load hits both
        for n in SIZES:
            for checkout in checkouts:
                for label, seconds in measure(checkout, paths[n]["md"]).items():
                    key = (checkout, label, n)
                    best[key] = min(best.get(key, seconds), seconds)
    labels = sorted({label for _, label, _ in best}, key=_order)
    print(f"per command (us), slope N=500 to N=1500, best of {args.rounds} rounds")
    print(f"  {'':24}" + "".join(f"{c.name[:12]:>14}" for c in checkouts))
    for label in labels:
        cells = [_slope(best, checkout, label) for checkout in checkouts]
        print(f"  {label:24}" + "".join(f"{cell:14.1f}" for cell in cells))


def _slope(best: dict[tuple[Path, str, int], float], checkout: Path, label: str) -> float:
    high, low = best.get((checkout, label, 1500), 0.0), best.get((checkout, label, 500), 0.0)
    return (high - low) / 1000 * 1e6


def _order(label: str) -> int:
    order = ["read", "plan", "hashes", "step, in all", "- the shell", "- secrets learned"]
    order += ["- output filters", "- judge", "- listeners (reports)", "the command, in all"]
    return order.index(label) if label in order else len(order)


if __name__ == "__main__":
    main()
