"""CPU per command of `ShellSession.run` against the bare pty loop, in one process.

    python bench/shell_cpu.py [--commands 3000] [--rounds 5]

Wall time per command moves with the machine's load; CPU time much less. For each of the
bare loop (bench/pty_loop.py's model: PS1 = a marker, one write, read to the marker) and the
runner's shell (`ShellSession.run("echo line-i")`), this prints, per command, the wall time,
this process's CPU time and bash's (utime + stime from /proc/PID/stat), best of the rounds.
Parsing, matching and reporting are not included: this is the shell model alone.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.pty_loop import MARKER, bare_bash, until  # noqa: E402
from runner.run.shell import ShellSession, shell_environment  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def bash_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--commands", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"{'':18} {'wall (us)':>10} {'python CPU (us)':>16} {'bash CPU (us)':>14}")
    for name, how in (("bare pty loop", bare_loop), ("ShellSession.run", shell_session)):
        results = [how(args.commands) for _ in range(args.rounds)]
        best = [min(r[k] for r in results) * 1e6 for k in range(3)]
        print(f"{name:18} {best[0]:>10.0f} {best[1]:>16.0f} {best[2]:>14.0f}")


if __name__ == "__main__":
    main()
