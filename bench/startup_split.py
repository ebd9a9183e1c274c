"""Where a `runner verify` of a one-command page spends its start: imports, then each phase.

Each run is a fresh interpreter (warm cache folder, as bench/startup.py's timed runs) that
wraps the phases of the run path in timers before calling the command table; the figure is
the median over the runs, in milliseconds. The phases overlap where one calls another
(`page start` holds the Docker ownership, the environment, the box and the shell).

    python bench/startup_split.py --runs 9
    python bench/startup_split.py --checkout ../old   # the same split of another checkout
    python bench/startup_split.py --classes   # the dataclasses a start builds; one's cost
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from startup import CONFIG, PAGE, environment

HERE = Path(__file__).resolve().parent
PHASES = (
    ("settings (mkdocs.yml)", "guiderunner.cli.pages", "settings_from"),
    ("read + plan the page", "guiderunner.cli.pages", "plans"),
    ("content hashes", "guiderunner.cli.shards", "scale"),
    ("page options", "guiderunner.cli.pages", "page_options"),
    ("page start", "guiderunner.run.lifecycle", "PageRun._open"),
    ("  engine ping", "guiderunner.run.lifecycle", "PageRun._engine_here"),
    ("  Docker ownership", "guiderunner.run.lifecycle", "PageRun._own_docker"),
    ("  environment (+ builder)", "guiderunner.run.lifecycle", "PageRun._environment"),
    ("  box", "guiderunner.run.lifecycle", "PageRun._box"),
    ("  shell start", "guiderunner.run.shell.session", "ShellSession.__enter__"),
    ("the step", "guiderunner.run.lifecycle", "PageRun.step"),
    ("page end", "guiderunner.run.lifecycle", "PageRun.close"),
    ("remember (cache, fingerprint)", "guiderunner.cli.verify", "_Run.ran"),
)
PROBE = """
import functools, importlib, json, sys, time
began = time.perf_counter()
from guiderunner.cli.main import main
import guiderunner.cli.verify, guiderunner.cli.jobs, guiderunner.run.lifecycle
imported = time.perf_counter()
spent = {}
def timer(name, function):
    @functools.wraps(function)
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + (time.perf_counter() - start) * 1000
    return timed
for name, module, qualified in json.loads(sys.argv[1]):
    owner = importlib.import_module(module)
    *path, last = qualified.split(".")
    for part in path:
        owner = getattr(owner, part)
    setattr(owner, last, timer(name, getattr(owner, last)))
start = time.perf_counter()
code = main(["verify", "--no-cache", "page.md"])
ended = time.perf_counter()
spent["imports (cli, verify, the run)"] = (imported - began) * 1000
spent["the command, in all"] = (ended - start) * 1000
sys.stderr.write(json.dumps(spent) + "\\n")
"""


CLASSES = """
import dataclasses, json, sys, time
built = []
real = dataclasses._process_class
def counted(cls, *args, **kwargs):
    began = time.perf_counter()
    made = real(cls, *args, **kwargs)
    built.append((time.perf_counter() - began) * 1000)
    return made
dataclasses._process_class = counted
from guiderunner.cli.main import main
main(["verify", "--no-cache", "page.md"])
at_start = (len(built), sum(built))
built.clear()
for _ in range(200):
    @dataclasses.dataclass(frozen=True, slots=True)
    class Five:
        a: int
        b: str
        c: tuple = ()
        d: object = None
        e: bool = False
sys.stderr.write(json.dumps([*at_start, min(built), sorted(built)[100]]) + "\\n")
"""


def classes(runs: int, checkout: Path) -> list[float]:
    """[classes built by a warm start, ms building them, min and median ms of one of 5 fields].

    Medians over `runs` fresh interpreters (the first, which fills the cache folder, is not
    counted).
    """
    found: list[list[float]] = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "page.md").write_text(PAGE, encoding="utf-8")
        (work / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
        env = environment(checkout, work)
        for index in range(runs + 1):
            done = subprocess.run(
                [sys.executable, "-c", CLASSES],
                cwd=work,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise SystemExit(done.stderr[-600:])
            if index:
                found.append(json.loads(done.stderr.splitlines()[-1]))
    return [statistics.median(row[i] for row in found) for i in range(4)]


def split(runs: int, checkout: Path) -> dict[str, float]:
    """Median milliseconds of each phase over `runs` fresh interpreters of `checkout`."""
    found: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "page.md").write_text(PAGE, encoding="utf-8")
        (work / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
        env = environment(checkout, work)
        argv = [sys.executable, "-c", PROBE, json.dumps(PHASES)]
        for index in range(runs + 1):
            done = subprocess.run(
                argv, cwd=work, env=env, capture_output=True, text=True, check=False
            )
            if done.returncode != 0:
                raise SystemExit(done.stderr[-600:])
            if index == 0:
                continue  # the warm-up fills the cache folder
            for name, ms in json.loads(done.stderr.splitlines()[-1]).items():
                found.setdefault(name, []).append(ms)
    return {name: statistics.median(values) for name, values in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--checkout", type=Path, default=HERE.parent)
    parser.add_argument("--classes", action="store_true", help="count and time the dataclasses")
    args = parser.parse_args()
    if args.classes:
        count, spent, least, typical = classes(args.runs, args.checkout.resolve())
        print(f"{count:.0f} dataclasses built by a warm start, {spent:.1f} ms in all")
        print(f"one of 5 fields, frozen and slotted: {least:.2f} ms at least, {typical:.2f} median")
        return
    medians = split(args.runs, args.checkout.resolve())
    for name in ("imports (cli, verify, the run)", *(p[0] for p in PHASES), "the command, in all"):
        print(f"{medians.get(name, 0.0):7.1f} ms  {name}")


if __name__ == "__main__":
    main()
