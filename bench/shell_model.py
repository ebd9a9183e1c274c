"""Per-command cost and start-up of the page shell model, against plain bash, prysk and the floor.

    python bench/shell_model.py [--rounds 5] [--before CHECKOUT]

Standalone (it needs only the runner's checkout and, for prysk, its `bench` extra). Times,
with wall clocks around subprocess.run and stdout to /dev/null, best of interleaved rounds:

- bash:     `bash echo-N.sh` (the commands, unchecked, no terminal);
- pty loop: `python bench/pty_loop.py N` (a bare Python loop typing into a pty bash and
            waiting for a prompt marker: the floor of one round trip per command);
- prysk:    `prysk --shell /bin/bash echo-N.t`;
- runner:   `python -m guiderunner verify --no-cache echo-N.md` (never a cached run);
- before:   with `--before DIR`, the same command on another checkout's runner (a `git
            archive` of an older commit), in the same rounds.

Per command = (t(1500) - t(500)) / 1000; start-up = t(1). The same slope on CPU time (user +
system of the tool and its children, from getrusage) moves much less on a loaded machine.
Targets (issue 13): the runner's per-command cost above plain bash at most 1.25x the pty
loop's per-command cost, and the runner's start-up at most prysk's.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import DEFAULT_OUT, generate  # noqa: E402

SIZES = (1, 500, 1500)


def commands(paths: dict[int, dict[str, Path]], n: int) -> dict[str, list[str]]:
    """Each tool's command line for a guide of n commands."""
    prysk = shutil.which("prysk", path=str(Path(sys.executable).parent)) or "prysk"
    python = sys.executable
    return {
        "bash": ["bash", "--noprofile", "--norc", str(paths[n]["sh"])],
        "pty loop": [python, str(HERE / "pty_loop.py"), str(n)],
        "prysk": [prysk, "--shell", "/bin/bash", str(paths[n]["t"])],
        "runner": [python, "-m", "guiderunner", "verify", "--no-cache", str(paths[n]["md"])],
    }


def timed(argv: list[str], cwd: Path, checkout: Path = REPO) -> tuple[float, float]:
    """Wall time, and CPU time (user + system, the tool and the children it waited for).

    Bytecode is kept between runs, as a reader's install keeps it: with PYTHONDONTWRITEBYTECODE
    each start compiles every module again, 0.1 s that moves with the load and drowns a slope.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(checkout)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(argv)} exited {done.returncode}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", type=Path, help="another checkout's runner, alongside")
    args = parser.parse_args()
    tools = ("bash", "pty loop", "prysk", "runner", *(("before",) if args.before else ()))
    paths = generate(DEFAULT_OUT, SIZES)
    best: dict[tuple[str, int], float] = {}
    cpu: dict[tuple[str, int], float] = {}
    for _ in range(args.rounds):
        for n in SIZES:
            for tool, argv in commands(paths, n).items():
                runs = [(tool, REPO)]
                if tool == "runner" and args.before is not None:
                    runs.append(("before", args.before))  # the same rounds, one after the other
                for name, checkout in runs:
                    took, used = timed(argv, DEFAULT_OUT, checkout)
                    best[name, n] = min(best.get((name, n), took), took)
                    cpu[name, n] = min(cpu.get((name, n), used), used)
    print(f"{platform.node()}  {os.cpu_count()} cores  Python {platform.python_version()}")
    print(
        f"{'tool':10} {'N=1 (s)':>8} {'N=500 (s)':>10} {'N=1500 (s)':>11}"
        f" {'per cmd (us)':>13} {'CPU/cmd (us)':>13}"
    )
    slope, cpu_slope = {}, {}
    for tool in tools:
        slope[tool] = (best[tool, 1500] - best[tool, 500]) / 1000 * 1e6
        cpu_slope[tool] = (cpu[tool, 1500] - cpu[tool, 500]) / 1000 * 1e6
        row = "".join(f"{best[tool, n]:>{w}.3f}" for n, w in zip(SIZES, (9, 11, 12), strict=True))
        print(f"{tool:10}{row} {slope[tool]:>13.0f} {cpu_slope[tool]:>13.0f}")
    above = slope["runner"] - slope["bash"]
    ratio = above / slope["pty loop"]
    print(f"\nrunner above bash per command: {above:.0f} us; pty loop: {slope['pty loop']:.0f} us")
    print(f"ratio {ratio:.2f} (target <= 1.25)  {'ok' if ratio <= 1.25 else 'MISSED'}")
    cpu_ratio = (cpu_slope["runner"] - cpu_slope["bash"]) / cpu_slope["pty loop"]
    print(f"same on CPU time (steadier under load): ratio {cpu_ratio:.2f}")
    if args.before:
        before = slope["before"] - slope["bash"]
        cpu_before = (cpu_slope["before"] - cpu_slope["bash"]) / cpu_slope["pty loop"]
        print(f"before: {before:.0f} us above bash, ratio {before / slope['pty loop']:.2f}", end="")
        print(f" (CPU {cpu_before:.2f}); after / before {above / before:.2f}")
    start, prysk = best["runner", 1], best["prysk", 1]
    verdict = "ok" if start <= prysk else "MISSED"
    print(f"start-up: runner {start:.3f} s, prysk {prysk:.3f} s (target <=)  {verdict}")


if __name__ == "__main__":
    main()
