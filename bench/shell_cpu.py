"""CPU per command of `ShellSession.run` against the bare pty loop, in one process.

    python bench/shell_cpu.py [--commands 3000] [--rounds 5] [--before CHECKOUT]

Wall time per command moves with the machine's load; CPU time much less. For each of the
bare loop (bench/pty_loop.py's model: PS1 = a marker, one write, read to the marker) and the
runner's shell (`ShellSession.run("echo line-i")`), this prints, per command, the wall time,
this process's CPU time and bash's (time on a CPU from /proc/PID/schedstat, in nanoseconds:
/proc/PID/stat counts 10 ms ticks), best of the rounds, then the worst (the spread). The
rounds alternate between the two, so a burst of load hits both. Parsing, matching and
reporting are not included: this is the shell model alone.

With `--before`, a third row runs `ShellSession.run` from another checkout (a `git archive`
of an older commit), in a child process of its own in each round, so that before, after and
the floor are measured in one run, under the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, os.environ.get("BENCH_CHECKOUT", str(HERE.parent)))

from bench.pty_loop import MARKER, bare_bash, until  # noqa: E402
from guiderunner.run.shell.session import ShellSession, shell_environment  # noqa: E402


def bash_cpu(pid: int) -> float:
    """Seconds process `pid` has run on a CPU (its first thread's, which is all of bash)."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9


def measure(pid: int, run: Callable[[int], object], n: int) -> tuple[float, float, float]:
    bash0, cpu0, wall0 = bash_cpu(pid), time.process_time(), time.perf_counter()
    for i in range(n):
        run(i)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return wall / n, cpu / n, (bash_cpu(pid) - bash0) / n


def bare_loop(n: int) -> tuple[float, float, float]:
    with bare_bash() as (master, pid):

        def one(i: int) -> None:
            os.write(master, f"echo line-{i}\n".encode())
            until(master, MARKER)

        return measure(pid, one, n)


def shell_session(n: int) -> tuple[float, float, float]:
    env = shell_environment(os.environ, {}, "bench")
    with tempfile.TemporaryDirectory() as folder, ShellSession(Path(folder), env) as shell:
        return measure(shell.pid, lambda i: shell.run(f"echo line-{i}", 10), n)


def other_checkout(folder: str) -> Callable[[int], tuple[float, float, float]]:
    """`shell_session` run in a child process on the checkout in `folder`."""

    def run(n: int) -> tuple[float, float, float]:
        env = {**os.environ, "BENCH_CHECKOUT": folder, "PYTHONPATH": folder}
        argv = [sys.executable, __file__, "--commands", str(n), "--session-only"]
        answer = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
        wall, cpu, bash = json.loads(answer.stdout)
        return wall, cpu, bash

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--commands", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", help="another checkout's ShellSession, measured alongside")
    parser.add_argument("--session-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.session_only:
        print(json.dumps(shell_session(args.commands)))
        return
    tools: tuple[tuple[str, Callable[[int], tuple[float, float, float]]], ...] = (
        ("bare pty loop", bare_loop),
        ("ShellSession.run", shell_session),
    )
    if args.before:
        tools += (("before", other_checkout(args.before)),)
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name, _ in tools}
    for _ in range(args.rounds):
        for name, how in tools:
            results[name].append(how(args.commands))
    print(f"{'best (worst)':18} {'wall (us)':>12} {'python CPU (us)':>16} {'bash CPU (us)':>14}")
    for name, rows in results.items():
        cells = [
            f"{min(r[k] for r in rows) * 1e6:.0f} ({max(r[k] for r in rows) * 1e6:.0f})"
            for k in range(3)
        ]
        print(f"{name:18} {cells[0]:>12} {cells[1]:>16} {cells[2]:>14}")
    loop, shell, *before = (min(r[0] for r in results[name]) for name, _ in tools)
    print(f"wall ratio ShellSession.run / bare loop: {shell / loop:.2f} (target <= 1.25)")
    if before:
        print(f"wall ratio before / bare loop: {before[0] / loop:.2f}")


if __name__ == "__main__":
    main()
