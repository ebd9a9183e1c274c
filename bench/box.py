"""The box's cost per page: a one-command page run in a PageRun, boxed and unboxed, interleaved.

    PYTHONPATH=. python bench/box.py [--rounds 20]

Prints the median wall time of a whole page (enter, one `echo`, leave) each way and the
difference, which is what the kernel's box (run/box/namespace.py) adds to every page. No
Docker engine is involved (DOCKER_HOST points nowhere), so the figure is the box alone; with
`--engine` both runs also start the page's Docker proxy, as every page does where an engine
answers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from guiderunner.match import judge
from guiderunner.parse import parse_guide
from guiderunner.plan import PlanSettings, plan_guide
from guiderunner.run.box import namespace
from guiderunner.run.lifecycle import PageOptions, run_page

PAGE = "# One command\n\n```console\n$ echo boxed\nboxed\n```\n"


def one_page(folder: Path, env: dict[str, str]) -> float:
    """Seconds for one page, start to end (the box decided once per process, as in a run)."""
    path = folder / "page.md"
    settings = PlanSettings(timeout=30, ready_timeout=30, placeholders={}, sample=None, environ=env)
    plan = plan_guide(parse_guide(str(path), path.read_text()), settings)
    options = PageOptions(sample=None, base_env=env, extra_env={}, record=folder / "record")
    started = time.perf_counter()
    result = run_page(plan, options, judge, keep_going=False)
    took = time.perf_counter() - started
    assert [v.outcome for v in result.verdicts] == ["passed"], result
    return took


def main() -> None:
    """Median per page, boxed and unboxed, from interleaved rounds."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--engine", action="store_true", help="keep DOCKER_HOST: the page's proxy included"
    )
    args = parser.parse_args()
    rounds = args.rounds
    times: dict[str, list[float]] = {"boxed": [], "unboxed": []}
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "page.md").write_text(PAGE)
        nowhere = {} if args.engine else {"DOCKER_HOST": f"unix://{folder}/no-engine.sock"}
        env = {**os.environ, **nowhere}
        mode = namespace.box_mode()  # asked once per process, as in a run
        for _ in range(rounds):
            for kind, taken in times.items():
                chosen = mode if kind == "boxed" else None
                namespace.box_mode = lambda chosen=chosen: chosen  # type: ignore[assignment]
                taken.append(one_page(Path(folder), env))
    boxed, unboxed = (statistics.median(times[k]) * 1000 for k in ("boxed", "unboxed"))
    print(f"box: {mode}")
    print(f"page boxed   {boxed:7.1f} ms (median of {rounds})")
    print(f"page unboxed {unboxed:7.1f} ms")
    print(f"box cost     {boxed - unboxed:7.1f} ms per page")


if __name__ == "__main__":
    main()
    sys.exit(0)
