"""Start-up against prysk: `runner verify` of a one-command page and prysk on the same test.

Pairs alternate (runner then prysk, prysk then runner, ...) so a burst of load on the machine
hits both alike; the figure is the median of each tool and the ratio of the medians.

    python bench/startup.py                       # 15 pairs, this checkout
    python bench/startup.py --checkout ../main    # another checkout's runner (the "before")
    python bench/startup.py --imports             # also: what `-X importtime` says verify imports
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
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


def pairs(checkout: Path, count: int) -> tuple[list[float], list[float]]:
    prysk = Path(sys.executable).with_name("prysk")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "page.md").write_text(PAGE, encoding="utf-8")
        (work / "one.t").write_text(TEST, encoding="utf-8")
        (work / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
        env = environment(checkout, work)
        runner = [sys.executable, "-m", "guiderunner", "verify", "--no-cache", "page.md"]
        checks = [str(prysk), "-q", "one.t"]
        timed(runner, work, env), timed(checks, work, env)  # warm the page cache of both
        ours: list[float] = []
        theirs: list[float] = []
        for index in range(count):
            order = [(runner, ours), (checks, theirs)]
            for argv, times in order if index % 2 == 0 else reversed(order):
                times.append(timed(argv, work, env))
    return ours, theirs


def imports(checkout: Path) -> list[str]:
    """The modules `runner verify` of a one-command page imports, slowest first (cumulative)."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "page.md").write_text(PAGE, encoding="utf-8")
        (work / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
        env = environment(checkout, work)
        argv = [sys.executable, "-X", "importtime", "-m", "guiderunner", "verify", "--no-cache"]
        done = subprocess.run(
            [*argv, "page.md"], cwd=work, env=env, capture_output=True, text=True, check=False
        )
    rows = [line.split("|") for line in done.stderr.splitlines() if line.startswith("import time:")]
    ours = [(int(r[1]), r[2].strip()) for r in rows[1:] if r[2].strip().startswith("guiderunner")]
    return [f"{us / 1000:7.1f} ms  {name}" for us, name in sorted(ours, reverse=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, default=HERE.parent)
    parser.add_argument("--pairs", type=int, default=15)
    parser.add_argument("--imports", action="store_true")
    args = parser.parse_args()
    ours, theirs = pairs(args.checkout.resolve(), args.pairs)
    runner_ms, prysk_ms = statistics.median(ours) * 1000, statistics.median(theirs) * 1000
    print(f"checkout {args.checkout.resolve()}, {args.pairs} alternating pairs, median:")
    print(f"  runner verify  {runner_ms:6.0f} ms")
    print(f"  prysk          {prysk_ms:6.0f} ms")
    print(f"  ratio          {runner_ms / prysk_ms:6.2f}x")
    if args.imports:
        print("\n".join(imports(args.checkout.resolve())[:15]))


if __name__ == "__main__":
    main()
