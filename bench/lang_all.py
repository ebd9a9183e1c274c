"""`runner verify --lang all` against `--lang en` on the real chapter: what French costs.

    flock /tmp/stockkube-docker.lock python bench/lang_all.py [--page PAGE] [--rounds 2]

The French page is built from the English one and its catalog; when its plan is the English
plan (same content hash: the same commands, expected output, files and options), its verdicts
are carried over instead of running it again, so `--lang all` should cost the English run plus
the French build: the target is a ratio of at most 1.1.

One untimed `--lang en` run first fills the engine's image and build caches (and must pass);
then the two commands alternate, `--rounds` times, each with `--no-cache` so that the verify
cache cannot hide a run. Wall-clock seconds, best of the rounds. The `--lang all` report must
show the French page as carried over (`same_plan_as`), else the figure would measure
something else, and the bench says so.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.1


def verify(lang: str, page: str, report: Path, timeout: float) -> float:
    """Seconds for one `runner verify --lang LANG PAGE --no-cache`; a failing run stops here."""
    command = [sys.executable, "-m", "guiderunner", "verify", "--no-cache", "--lang", lang, page]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    began = time.perf_counter()
    done = subprocess.run(
        [*command, "--json", str(report)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"runner verify --lang {lang} {page} failed:\n{done.stdout[-3000:]}")
    return seconds


def carried(report: Path) -> list[str]:
    """The pages of a report whose verdicts were carried over from their English page."""
    pages = json.loads(report.read_text(encoding="utf-8"))["pages"]
    return [f"{p['path']} <- {p['same_plan_as']}" for p in pages if p.get("same_plan_as")]


def outcomes(report: Path) -> str:
    """How the steps of a report ended: `40 passed, 2 skipped`, so a figure is read in context."""
    pages = json.loads(report.read_text(encoding="utf-8"))["pages"]
    found: dict[str, int] = {}
    for step in (s for p in pages for s in p["steps"]):
        found[step["outcome"]] = found.get(step["outcome"], 0) + 1
    return ", ".join(f"{count} {outcome}" for outcome, count in sorted(found.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--page", default="docs/create-docker-images.md")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds per run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-lang-") as folder:
        reports = Path(folder)
        warm = verify("en", args.page, reports / "warm.json", args.timeout)
        print(f"warm-up --lang en: {warm:.1f} s (untimed)")
        times: dict[str, list[float]] = {"en": [], "all": []}
        for _ in range(args.rounds):
            for lang in ("en", "all"):
                times[lang].append(verify(lang, args.page, reports / f"{lang}.json", args.timeout))
        moved = carried(reports / "all.json")
        steps = outcomes(reports / "en.json")
    english, both = min(times["en"]), min(times["all"])
    ratio = both / english
    print(f"page: {args.page} ({steps}), rounds: {args.rounds}")
    print(f"--lang en:  {english:.1f} s  (runs: {', '.join(f'{t:.1f}' for t in times['en'])})")
    print(f"--lang all: {both:.1f} s  (runs: {', '.join(f'{t:.1f}' for t in times['all'])})")
    print(f"carried over: {', '.join(moved) or 'none'}")
    verdict = "met" if ratio <= TARGET and moved else "MISSED"
    print(f"--lang all / --lang en: {ratio:.2f}x (target <= {TARGET}x)  {verdict}")


if __name__ == "__main__":
    main()
