"""Start-up against prysk: `runner verify` of a one-command page and prysk on the same test.

Pairs alternate (runner then prysk, prysk then runner, ...) so a burst of load on the machine
hits both alike; the figure is the median of each tool and the ratio of the medians.

    python bench/startup.py                       # 15 pairs, this checkout
    python bench/startup.py --checkout ../main    # another checkout's runner
    python bench/startup.py --before ../old       # this one and the "before", in the same rounds
    python bench/startup.py --imports             # also: what `-X importtime` says verify imports
    python bench/startup.py --edited              # also: the page edited before each run

Both run as installed console scripts (`runner`, `prysk`), the page's mkdocs.yml and the
runner's cache folder warm from one untimed run each, as a reader's second run finds them.
With `--edited`, a third runner column verifies a page whose text changes before each run
(a heading's number), as an author's edit loop finds it: its block tokens are not kept yet.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGE = "# One\n\n```console\n$ echo hello\nhello\n```\n"
TEST = "  $ echo hello\n  hello\n"
CONFIG = "site_name: bench\nplugins:\n  - runner\n"


def environment(checkout: Path, work: Path) -> dict[str, str]:
    """This checkout first on the path; bytecode written and read, as an installed package has it.

    PYTHONDONTWRITEBYTECODE would make the runner compile every module on every start (an
    installed wheel is compiled by pip once), and prysk's are compiled already.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(checkout), "XDG_CACHE_HOME": str(work / "cache")}


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    began = time.perf_counter()
    done = subprocess.run(
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    took = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()[-400:]}")
    return took


def runner_command() -> list[str]:
    """The `runner` console script beside this Python, as prysk is run by its own script.

    Its `from guiderunner.cli import entry` finds the checkout first on PYTHONPATH. Without
    the script (a checkout not installed), `python -m guiderunner`, which pays for runpy too.
    """
    script = Path(sys.executable).with_name("runner")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "guiderunner"]


Run = tuple[list[str], dict[str, str], list[float], Callable[[], None]]
"""argv, environment, wall times, what to do before each run (untimed)."""


def rounds(
    checkouts: list[Path], count: int, *, edited: bool = False
) -> tuple[list[list[float]], list[float]]:
    """Wall times of each checkout's runner (then the edited page's) and of prysk.

    `count` rounds, the order rotated each round.
    """
    prysk = Path(sys.executable).with_name("prysk")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "page.md").write_text(PAGE, encoding="utf-8")
        (work / "one.t").write_text(TEST, encoding="utf-8")
        (work / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
        runner = [*runner_command(), "verify", "--no-cache"]
        runs: list[Run] = [
            ([*runner, "page.md"], environment(checkout, work / f"cache-{n}"), [], _nothing)
            for n, checkout in enumerate(checkouts)
        ]
        if edited:
            edit = _editor(work / "edited.md")
            env = environment(checkouts[0], work / "cache-0")
            runs.append(([*runner, "edited.md"], env, [], edit))
        theirs: list[float] = []
        prysk_env = environment(checkouts[0], work)
        runs.append(([str(prysk), "-q", "one.t"], prysk_env, theirs, _nothing))
        for argv, env, _, before in runs:
            before()
            timed(argv, work, env)  # warm the page cache, mkdocs.yml's and the runner's cache
        for index in range(count):
            shift = index % len(runs)
            for argv, env, times, before in runs[shift:] + runs[:shift]:
                before()
                times.append(timed(argv, work, env))
    return [times for _, _, times, _ in runs[:-1]], theirs


def _nothing() -> None:
    """Nothing to do before a run."""


def _editor(page: Path) -> Callable[[], None]:
    """Write the page anew before each run: the same command under a heading numbered anew."""
    edits = iter(range(1, 1_000_000))

    def edit() -> None:
        page.write_text(PAGE.replace("# One", f"# One {next(edits)}"), encoding="utf-8")

    return edit


def imports(checkout: Path) -> list[str]:
    """The modules a warm `runner verify` of a one-command page imports, slowest first."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "page.md").write_text(PAGE, encoding="utf-8")
        (work / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
        env = environment(checkout, work)
        argv = [sys.executable, "-X", "importtime", "-m", "guiderunner", "verify", "--no-cache"]
        for _ in range(2):  # the second start is the one measured: its cache folder is warm
            done = subprocess.run(
                [*argv, "page.md"], cwd=work, env=env, capture_output=True, text=True, check=False
            )
    rows = [line.split("|") for line in done.stderr.splitlines() if line.startswith("import time:")]
    top = sum(int(r[1]) for r in rows[1:] if not r[2].startswith("  "))
    ours = [(int(r[1]), r[2].strip()) for r in rows[1:] if r[2].strip().startswith("guiderunner")]
    lines = [f"{us / 1000:7.1f} ms  {name}" for us, name in sorted(ours, reverse=True)]
    return [f"{top / 1000:7.1f} ms  every import (importtime's own cost included)", *lines]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, default=HERE.parent)
    parser.add_argument(
        "--before", type=Path, help="another checkout timed in the same rounds (the before)"
    )
    parser.add_argument("--pairs", type=int, default=15)
    parser.add_argument("--imports", action="store_true")
    parser.add_argument(
        "--edited", action="store_true", help="also time a page edited before each run"
    )
    args = parser.parse_args()
    checkouts = [args.checkout.resolve(), *([args.before.resolve()] if args.before else [])]
    ours, theirs = rounds(checkouts, args.pairs, edited=args.edited)
    prysk_ms = statistics.median(theirs) * 1000
    print(f"{args.pairs} rounds, order rotated each round, median wall time:")
    names = [str(c) for c in checkouts] + ([f"{checkouts[0]}, page edited"] if args.edited else [])
    for name, times in zip(names, ours, strict=True):
        runner_ms = statistics.median(times) * 1000
        print(f"  runner verify  {runner_ms:6.0f} ms  {runner_ms / prysk_ms:5.2f}x  {name}")
    print(f"  prysk          {prysk_ms:6.0f} ms")
    if args.imports:
        print("\n".join(imports(args.checkout.resolve())[:16]))


if __name__ == "__main__":
    main()
