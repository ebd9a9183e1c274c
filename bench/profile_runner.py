"""Where the runner's time goes per command: phases, pty round-trip floors, and cProfile.

    python bench/profile_runner.py [--top 25] [--no-cprofile]

1. Phases, in process, without a profiler: each stage of `runner verify` timed on the 500-
   and 1500-command guides; (t1500 - t500) / 1000 is that stage's cost per command.
2. Floors for the terminal round trip, on the same interactive bash on a pty:
   - `ShellSession.run`: what the runner does per command now;
   - raw: the same typed line and prompt marker, with the least Python possible (no eval,
     no quoting, one os.write, select + os.read until the marker);
   - pipelined: every line written up front (a writer thread), read until the last marker:
     the terminal and bash without waiting for each command in turn.
3. Start-up: wall clock of a bare Python, of importing runner.cli, of a whole one-command
   `runner verify` (subprocesses, best of --rounds), and the in-process phases for N=1.
4. cProfile of `runner.cli.main(["verify", "echo-1500.md"])`, stdout to /dev/null, top
   functions by cumulative time, each divided by 1500 steps.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import re
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import DEFAULT_OUT, generate  # noqa: E402

from runner import plan as plan_module  # noqa: E402
from runner.cli import build_parser  # noqa: E402
from runner.cli import main as runner_main  # noqa: E402
from runner.match import judge  # noqa: E402
from runner.parse import parse_guide  # noqa: E402
from runner.plan import PlanSettings, check_syntax, plan_guide  # noqa: E402
from runner.plan.bash import BashParser  # noqa: E402
from runner.report.terminal import TerminalReporter  # noqa: E402
from runner.run.execute import observe  # noqa: E402
from runner.run.lifecycle import PageOptions, PageRun  # noqa: E402
from runner.run.record import record_dir  # noqa: E402
from runner.run.shell import DONE_FUNCTION, ShellSession, shell_environment  # noqa: E402
from runner.run.workspace import scratch_workspace  # noqa: E402
from runner.settings import find_config, load_settings  # noqa: E402

PHASES = (
    "settings",
    "parse",
    "plan (no bash -n)",
    "bash -n",
    "shell start",
    "commands (run+judge+report)",
    "  of which shell.run",
    "  of which judge",
    "  of which report",
    "shell stop + cleanup",
)


class Stopwatch:
    """Wall clock and this process's CPU time, accumulated per phase."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = dict.fromkeys(PHASES, 0.0)
        self.cpu: dict[str, float] = dict.fromkeys(PHASES, 0.0)
        self._mark = (0.0, 0.0)

    def start(self) -> None:
        self._mark = (time.perf_counter(), time.process_time())

    def stop(self, phase: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.wall[phase] += wall - self._mark[0]
        self.cpu[phase] += cpu - self._mark[1]
        self._mark = (wall, cpu)


def phases(page: Path) -> Stopwatch:
    """Each phase of one `runner verify page`, in process."""
    watch = Stopwatch()
    watch.start()
    settings = load_settings(find_config(page.parent))
    watch.stop("settings")
    guide = parse_guide(page.name, page.read_text(encoding="utf-8"))
    watch.stop("parse")
    plan_settings = PlanSettings(
        settings.timeout,
        settings.ready_timeout,
        settings.placeholders,
        settings.sample,
        settings.environ,
    )
    saved = plan_module.check_syntax
    plan_module.check_syntax = lambda commands, bash: None
    try:
        watch.start()
        plan = plan_guide(guide, plan_settings)
        watch.stop("plan (no bash -n)")
    finally:
        plan_module.check_syntax = saved
    with BashParser() as bash:
        check_syntax(list(plan.steps), bash)  # type: ignore[arg-type]
    watch.stop("bash -n")

    reporter = TerminalReporter(io.StringIO(), color=False)
    options = PageOptions(None, os.environ, settings.env, record_dir(os.environ))
    watch.start()
    with PageRun(plan, options, judge) as page_run:
        watch.stop("shell start")
        for step in plan.steps:
            observation = observe(step, page_run.context)
            watch.stop("  of which shell.run")
            verdict = judge(observation)
            watch.stop("  of which judge")
            reporter.step_finished(plan.path, verdict)
            watch.stop("  of which report")
            assert verdict.outcome == "passed", verdict
    watch.stop("shell stop + cleanup")
    for clock in (watch.wall, watch.cpu):
        clock["commands (run+judge+report)"] = sum(
            clock[f"  of which {part}"] for part in ("shell.run", "judge", "report")
        )
    return watch


def best_phases(page: Path, rounds: int) -> tuple[dict[str, float], dict[str, float]]:
    """Best wall and best CPU seconds per phase over the rounds."""
    runs = [phases(page) for _ in range(rounds)]
    return (
        {name: min(run.wall[name] for run in runs) for name in PHASES},
        {name: min(run.cpu[name] for run in runs) for name in PHASES},
    )


# --- round-trip floors -------------------------------------------------------------------------


def floors(n: int, rounds: int) -> dict[str, float]:
    """Seconds for n echo commands by three ways of talking to the same pty bash."""
    results: dict[str, list[float]] = {
        "ShellSession.run": [],
        "raw round trip": [],
        "pipelined": [],
    }
    for _ in range(rounds):
        with scratch_workspace(None, keep=False) as ws:
            env = shell_environment(os.environ, {}, "0" * 16)
            with ShellSession(ws, env, "0" * 16) as shell:
                start = time.perf_counter()
                for i in range(n):
                    shell.run(f"echo line-{i}", 60)
                results["ShellSession.run"].append(time.perf_counter() - start)

                child = shell._child  # measuring the floor under it
                assert child is not None
                fd = child.child_fd
                marker = re.compile(re.escape(shell._prompt) + rb"(-?\d+);-1\x07")
                start = time.perf_counter()
                for i in range(n):
                    os.write(fd, f"echo line-{i}; {DONE_FUNCTION}\n".encode())
                    buffer = b""
                    while not marker.search(buffer):
                        select.select([fd], [], [], 60)
                        buffer += os.read(fd, 65536)
                results["raw round trip"].append(time.perf_counter() - start)

                lines = b"".join(f"echo line-{i}; {DONE_FUNCTION}\n".encode() for i in range(n))

                def write_all(data: bytes = lines, fd: int = fd) -> None:
                    view = memoryview(data)
                    while view:
                        written = os.write(fd, view[:1024])
                        view = view[written:]

                start = time.perf_counter()
                writer = threading.Thread(target=write_all)
                writer.start()
                seen, tail = 0, b""
                while seen < n:
                    select.select([fd], [], [], 60)
                    chunk = tail + os.read(fd, 65536)
                    found = list(marker.finditer(chunk))
                    seen += len(found)
                    tail = chunk[found[-1].end() :] if found else chunk
                writer.join()
                results["pipelined"].append(time.perf_counter() - start)
    return {name: min(times) for name, times in results.items()}


# --- start-up ----------------------------------------------------------------------------------


def startup(page: Path, rounds: int) -> None:
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    runs = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import runner.cli'": [sys.executable, "-c", "import runner.cli"],
        f"python -m runner verify {page.name}": [
            sys.executable,
            "-m",
            "runner",
            *verify_args(),
            str(page),
        ],
    }
    print(f"\nStart-up, wall clock of whole processes (best of {rounds})")
    for name, argv in runs.items():
        best = float("inf")
        for _ in range(rounds):
            start = time.perf_counter()
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
            best = min(best, time.perf_counter() - start)
        print(f"{name:<45} {best:.3f} s")
    imported = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import runner.cli"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    own: dict[str, int] = {}
    for line in imported.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not parts[0].split(":")[-1].strip().isdigit():
            continue
        name = parts[2].strip()
        group = (
            name.split(".")[0] if not name.startswith("runner.") else ".".join(name.split(".")[:2])
        )
        own[group] = own.get(group, 0) + int(parts[0].split(":")[-1])
    total = sum(own.values())
    print(
        f"imports of runner.cli: {total / 1000:.1f} ms; "
        "own time by package (-X importtime, one run):"
    )
    for name, micro in sorted(own.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {name:<28} {micro / 1000:>7.1f} ms")
    one, one_cpu = best_phases(page, rounds)
    print(f"in-process phases of runner verify {page.name} (best of {rounds}; wall, CPU):")
    for name in PHASES:
        if not name.startswith("  "):
            print(f"  {name:<28} {one[name] * 1000:>7.1f} ms {one_cpu[name] * 1000:>7.1f} ms")


# --- cProfile ----------------------------------------------------------------------------------


def verify_args() -> list[str]:
    """`verify`, with `--no-cache` where the runner has a cache of passed pages."""
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            build_parser().parse_args(["verify", "--no-cache", "page.md"])
    except SystemExit:
        return ["verify"]
    return ["verify", "--no-cache"]


def profile(page: Path, steps: int, top: int) -> None:
    profiler = cProfile.Profile()
    with Path(os.devnull).open("w") as null, contextlib.redirect_stdout(null):
        profiler.enable()
        status = runner_main([*verify_args(), str(page)])
        profiler.disable()
    assert status == 0, status
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(
        f"\ncProfile of runner verify {page.name}: {total:.3f} s under the profiler "
        f"(inflated by it), {steps} steps"
    )
    rows = []
    for (filename, line, name), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        short = filename.replace(str(HERE.parent) + "/", "")
        short = re.sub(r".*/site-packages/", "", short)
        short = re.sub(r".*/lib/python3\.\d+/", "", short)
        rows.append((ct, tt, nc, f"{short}:{line}({name})"))
    rows.sort(reverse=True)
    print(f"{'cumulative s':>12} {'µs/step':>8} {'own s':>7} {'calls':>7}  function")
    for ct, tt, nc, where in rows[:top]:
        print(f"{ct:>12.3f} {ct / steps * 1e6:>8.1f} {tt:>7.3f} {nc:>7}  {where}")
    rows.sort(key=lambda r: r[1], reverse=True)
    print(f"\nby own time:\n{'own s':>7} {'µs/step':>8} {'calls':>7}  function")
    for _ct, tt, nc, where in rows[:top]:
        print(f"{tt:>7.3f} {tt / steps * 1e6:>8.1f} {nc:>7}  {where}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--no-cprofile", action="store_true")
    args = parser.parse_args()
    files = generate(DEFAULT_OUT, (1, 500, 1500))
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    (small, small_cpu), (large, large_cpu) = (
        best_phases(files[n]["md"], args.rounds) for n in (500, 1500)
    )
    print(
        "\nPhases of runner verify, in process (best of "
        f"{args.rounds}); per command = (t1500 - t500) / 1000;\n"
        "CPU = this Python process only (bash's own work shows in wall time)"
    )
    print(
        f"{'phase':<30} {'N=500 (s)':>10} {'N=1500 (s)':>11} {'µs/command':>11} {'CPU µs/cmd':>11}"
    )
    for name in PHASES:
        per = (large[name] - small[name]) / 1000 * 1e6
        cpu = (large_cpu[name] - small_cpu[name]) / 1000 * 1e6
        print(f"{name:<30} {small[name]:>10.4f} {large[name]:>11.4f} {per:>11.1f} {cpu:>11.1f}")
    parts = [n for n in PHASES if not n.startswith("  ")]
    total = sum(large[n] - small[n] for n in parts) / 1000 * 1e6
    total_cpu = sum(large_cpu[n] - small_cpu[n] for n in parts) / 1000 * 1e6
    print(f"{'total':<30} {'':>10} {'':>11} {total:>11.1f} {total_cpu:>11.1f}")

    f500, f1500 = floors(500, args.rounds), floors(1500, args.rounds)
    print("\nTerminal round trip on the same pty bash, per command = (t1500 - t500) / 1000")
    for name in f500:
        print(
            f"{name:<30} {f500[name]:>10.4f} {f1500[name]:>11.4f} "
            f"{(f1500[name] - f500[name]) / 1000 * 1e6:>11.1f}"
        )

    startup(files[1]["md"], max(args.rounds, 5))

    if not args.no_cprofile:
        profile(files[1500]["md"], 1500, args.top)


if __name__ == "__main__":
    main()
