"""Shard balance: 40 pages of varied lengths in 4 shards, slowest shard over the mean.

    python bench/shard_balance.py [--pages 40] [--shards 4] [--total 40] [--no-run]

Two figures, both from store.shard's split (longest page first to the least loaded shard):

- predicted: the durations of a synthetic corpus (log-normal, seeded, so the same every time)
  summed per shard, in three cases: every page has a history; a quarter of the pages have none
  (they count as the median); and, for comparison, no history at all (pages dealt by name).
- measured: the corpus written as real pages (each a few `sleep` commands adding up to its
  duration), run once by `runner verify --json` for the history, then split with the durations
  of that report and run as 4 `runner verify` processes at once, each timed (wall clock). The
  pages only sleep, so the 4 processes do not compete for the 2 cores of this machine.

Target (issue 15): slowest shard at most 1.2 x the mean.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guiderunner.store.shard import durations_from_report, page_weights, split  # noqa: E402

OUT = ROOT / "bench" / "out" / "shards"
CONFIG = "site_name: shard benchmark\ndocs_dir: .\nplugins:\n  - runner: {}\n"
TARGET = 1.2


def corpus(pages: int, total: float, seed: int = 15) -> dict[str, float]:
    """Page name -> seconds: log-normal lengths (a few long pages, many short), summing to total."""
    rng = random.Random(seed)
    raw = [rng.lognormvariate(0.0, 0.8) for _ in range(pages)]
    scale = total / sum(raw)
    return {f"page-{i:02d}.md": round(r * scale, 3) for i, r in enumerate(raw)}


def ratio(loads: list[float]) -> float:
    """Slowest shard over the mean shard."""
    return max(loads) / statistics.fmean(loads)


def predicted(durations: dict[str, float], shards: int, known: dict[str, float]) -> list[float]:
    """Real seconds per shard when the split only knows `known`."""
    return [sum(durations[p] for p in s) for s in split(list(durations), shards, known)]


def write_pages(durations: dict[str, float]) -> list[Path]:
    """Each page: sleeps of at most 0.5 s adding up to its duration."""
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    written = []
    for name, seconds in durations.items():
        parts, left = [], seconds
        while left > 0:
            parts.append(min(0.5, left))
            left = round(left - parts[-1], 3)
        blocks = "".join(f"```console\n$ sleep {p:.3f}\n```\n\n" for p in parts)
        (OUT / name).write_text(f"# {name}\n\n{blocks}", encoding="utf-8")
        written.append(OUT / name)
    return written


def verify(pages: list[str], report: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "guiderunner", "verify", "--no-cache", "--json", report, *pages],
        cwd=OUT,
        stdout=subprocess.DEVNULL,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/local/bin:/usr/bin:/bin"},
    )


def measured(durations: dict[str, float], shards: int) -> tuple[list[float], float]:
    """Shard wall times when run at once, split by a real history run; and that run's time."""
    write_pages(durations)
    began = time.perf_counter()
    history = verify(list(durations), "history.json")
    if history.wait(timeout=600) not in (0, 1):
        raise SystemExit("the history run failed to start")
    sequential = time.perf_counter() - began
    report = json.loads((OUT / "history.json").read_text(encoding="utf-8"))
    split_up = split(list(durations), shards, durations_from_report(report))
    began = time.perf_counter()
    running = [verify(list(s), f"shard-{k}.json") for k, s in enumerate(split_up, 1)]
    times: dict[int, float] = {}
    deadline = began + 600
    while len(times) < len(running) and time.perf_counter() < deadline:
        for number, child in enumerate(running):
            if number not in times and child.poll() is not None:
                times[number] = time.perf_counter() - began
        time.sleep(0.01)
    return [times[n] for n in range(len(running))], sequential


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--total", type=float, default=40.0, help="seconds of the whole corpus")
    parser.add_argument("--no-run", action="store_true", help="only the predicted figures")
    args = parser.parse_args()
    durations = corpus(args.pages, args.total)
    weights = page_weights(durations, durations)
    print(
        f"corpus: {args.pages} pages, {sum(durations.values()):.1f} s, shortest "
        f"{min(durations.values()):.2f} s, longest {max(durations.values()):.2f} s; "
        f"{args.shards} shards (longest page / mean shard: "
        f"{max(weights.values()) / 1000 / (args.total / args.shards):.2f})"
    )
    unknown = set(random.Random(7).sample(sorted(durations), len(durations) // 4))
    partial = {p: d for p, d in durations.items() if p not in unknown}
    cases = {
        "every page has a history": durations,
        f"{args.pages - len(partial)} pages without history": partial,
        "no history (dealt by name)": {},
    }
    for label, known in cases.items():
        loads = predicted(durations, args.shards, known)
        shown = " ".join(f"{x:6.2f}" for x in loads)
        verdict = "ok" if ratio(loads) <= TARGET else "MISSED"
        figure = f"slowest/mean {ratio(loads):.3f}  {verdict}"
        print(f"predicted, {label:<28} shards (s): {shown}  {figure}")
    if args.no_run:
        return
    times, sequential = measured(durations, args.shards)
    shown = " ".join(f"{x:6.2f}" for x in times)
    verdict = "ok" if ratio(times) <= TARGET else "MISSED"
    print(
        f"measured, 4 runner processes at once, shards (s): {shown}  slowest/mean "
        f"{ratio(times):.3f}  {verdict} (target <= {TARGET})"
    )
    print(
        f"measured, one runner process, every page: {sequential:.2f} s; "
        f"sharded wall time {max(times):.2f} s ({sequential / max(times):.2f}x)"
    )


if __name__ == "__main__":
    main()
