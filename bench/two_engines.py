"""Two shards on two Docker engines at the same time, against one engine running every page.

    flock /tmp/stockkube-docker.lock python bench/two_engines.py [--timeout 1200]

Needs root and the main toolchain (`runner toolchain up`). Steps, each timed (wall clock):

1. one engine: `runner verify --no-cache` on every page (English and French) on one fresh
   engine of our own (guiderunner.toolchain.extra_engine: its own network namespace, the stand-in
   images copied in, a registry of its own); its report is the history the split uses;
2. two engines: `runner verify --lang all --shard K/2 --durations` step 1's report, each
   shard on a fresh engine of its own, in its own namespace, both at the same time (a French
   page goes with its English page, and takes its verdicts when their plans are equal);
3. the two reports merged (guiderunner.report.merge): every page once.

Fresh engines, not the main one: the main engine is shared, and the chapter lists the images
whose names start with `stock`, so anything another run left there makes it fail; and each
run must start from the same state (no build cache) for the times to compare. Starting an
engine (and copying the images) is not timed.

This machine has 2 cores, so the figure shows the mechanism working, not the speed-up that
two real machines would give: both shards build .NET images, which is CPU-bound.
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guiderunner.report.merge import load_report, merge, write_json  # noqa: E402
from guiderunner.toolchain import extra_engine, netns  # noqa: E402

OUT = ROOT / "bench" / "out" / "two-engines"


def verify(arguments: list[str], report: Path, enter: list[str]) -> list[str]:
    """The command line of one `runner verify` run (pages or options), from the root."""
    runner = [sys.executable, "-m", "guiderunner", "verify", "--no-cache", "--json", str(report)]
    return [*enter, "env", f"PYTHONPATH={ROOT}", *runner, *arguments]


def timed(commands: list[list[str]], envs: list[dict[str, str]], timeout: float) -> list[float]:
    """Start them all at once; the seconds each took, and fail if any failed to run."""
    began = time.perf_counter()
    logs = [(OUT / f"run-{n}.log").open("w") for n in range(len(commands))]
    children = [
        subprocess.Popen(c, cwd=ROOT, env=e, stdout=log, stderr=subprocess.STDOUT)
        for c, e, log in zip(commands, envs, logs, strict=True)
    ]
    times: dict[int, float] = {}
    while len(times) < len(children):
        if time.perf_counter() - began > timeout:
            for child in children:
                child.kill()
            raise SystemExit(f"gave up after {timeout:.0f} s")
        for number, child in enumerate(children):
            if number not in times and child.poll() is not None:
                times[number] = time.perf_counter() - began
        time.sleep(0.05)
    for log in logs:
        log.close()
    for number, child in enumerate(children):
        if child.returncode not in (0, 1):
            raise SystemExit(f"run {number} exited {child.returncode}: see {OUT}/run-{number}.log")
    return [times[n] for n in range(len(children))]


def on_engines(shards: list[list[str]], label: str, timeout: float) -> list[float]:
    """Run each shard (its pages, or options) on a fresh engine of its own, all at once.

    Returns the seconds each took.

    The engines start (images copied, registry up) before the clock starts, and each is
    removed with its data afterwards, so that every run starts from the same clean engine.
    """
    with contextlib.ExitStack() as stack:
        engines = []
        for number, _ in enumerate(shards, 1):
            base = Path(tempfile.mkdtemp(prefix=f"{label}{number}-", dir="/tmp"))
            layout = extra_engine.EngineLayout(
                base, netns.Netns(f"{label}{number}", netns.free_number())
            )
            began = time.perf_counter()
            engines.append(stack.enter_context(extra_engine.running(layout)))
            print(
                f"  engine {label}{number}: answered in {engines[-1].started_in:.2f} s, ready "
                f"with images and registry in {time.perf_counter() - began:.1f} s"
            )
        commands = [
            verify(shard, OUT / f"{label}-{n}.json", e.layout.ns.enter())
            for n, (shard, e) in enumerate(zip(shards, engines, strict=True), 1)
        ]
        return timed(commands, [e.environ() for e in engines], timeout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=1200.0)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print("one engine, every page (--lang all):")
    (sequential,) = on_engines([["--lang", "all"]], "skone", args.timeout)
    history = load_report(OUT / "skone-1.json")
    pages = [str(entry["path"]) for entry in history.document["pages"]]
    print(f"  {len(pages)} pages in {sequential:.1f} s, passed {history.document['passed']}")
    print("two engines at once (`--shard K/2 --durations` the one-engine report):")
    durations = ["--durations", str(OUT / "skone-1.json")]
    shards = [["--lang", "all", "--shard", f"{n}/2", *durations] for n in (1, 2)]
    times = on_engines(shards, "sktwo", args.timeout)
    reports = [load_report(OUT / f"sktwo-{n}.json") for n in (1, 2)]
    for number, report in enumerate(reports, 1):
        ran = ", ".join(str(entry["path"]) for entry in report.document["pages"])
        print(f"  shard {number}: {ran}")
    merged = merge(reports)
    write_json(merged, OUT / "merged.json")
    print(f"  shard 1 {times[0]:.1f} s, shard 2 {times[1]:.1f} s")
    print(
        f"wall time {max(times):.1f} s against {sequential:.1f} s on one engine "
        f"({sequential / max(times):.2f}x); merged: {len(merged['pages'])} pages, "
        f"passed {merged['passed']}"
    )


if __name__ == "__main__":
    main()
