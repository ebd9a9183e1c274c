"""Time plain bash, prysk, byexample and the runner on the same synthetic guides, side by side.

    python bench/run.py [--rounds 5] [--budget 150] [--no-real] [--page PAGE]
    python bench/run.py --short      # CI (tests/test_bench.py): 1 round, N=1/10/30, no real guide

Run it with the Python of the environment where the project and its `bench` extra are
installed (prysk and byexample are taken from that environment's bin folder).

Figures (wall clock, time.perf_counter around subprocess.run, best of the rounds):
- start-up: the time for a one-command input (N=1);
- per command: the slope (t(1500) - t(500)) / 1000, so that start-up cancels out;
- the runner's per-command cost above plain bash, and byexample's per command over the runner's;
- real guide: `runner verify PAGE` against the same steps as a plain bash script
  (bench/plain_script.py); only when the page exists and `docker info` answers.

Rounds are interleaved (every tool and size once per round) so that a burst of load on the
machine hits all of them alike; the best of the rounds is kept.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import platform
import resource
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from generate import DEFAULT_OUT, generate  # noqa: E402
from plain_script import plain_script  # noqa: E402

from guiderunner.cli.pages import plans  # noqa: E402
from guiderunner.model import StartService  # noqa: E402
from guiderunner.run.box.processes import kill_session  # noqa: E402
from guiderunner.run.box.workspace import scratch_workspace  # noqa: E402
from guiderunner.run.docker.owned import DockerOwnership  # noqa: E402
from guiderunner.run.shell.session import shell_environment  # noqa: E402
from guiderunner.settings import find_config, load_settings  # noqa: E402

SIZES = (1, 500, 1500)
SHORT_SIZES = (1, 10, 30)  # --short: enough to prove every tool and every figure still works
BIN = Path(sys.executable).parent
DEFAULT_PAGE = REPO / "docs" / "create-docker-images.md"

# Targets from the issue.
MAX_OVER_BASH_MS = 0.1
MIN_BYEXAMPLE_RATIO = 3.0
MAX_REAL_RATIO = 1.05


def _tool(name: str) -> str:
    """The console script next to this Python, else the one on PATH."""
    local = BIN / name
    if local.is_file():
        return str(local)
    found = shutil.which(name)
    if found is None:
        sys.exit(f"bench: {name} not found; install the project with its `bench` extra")
    return found


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


class BenchError(Exception):
    """A timed run did not pass: its time means nothing."""

    def __init__(self, argv: list[str], status: int, stderr: str) -> None:
        super().__init__(f"{' '.join(argv)} exited {status}\n{stderr[-2000:]}".rstrip())


_VERIFY: list[str] = []


def verify_argv() -> list[str]:
    """`runner verify`, with `--no-cache` where the runner has a cache of passed pages
    (a cached page is not run again, which would time nothing)."""
    if not _VERIFY:
        done = subprocess.run(
            [sys.executable, "-m", "guiderunner", "verify", "--help"],
            env=_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        extra = ["--no-cache"] if "--no-cache" in done.stdout else []
        _VERIFY.extend([sys.executable, "-m", "guiderunner", "verify", *extra])
    return list(_VERIFY)


@dataclass
class Tool:
    name: str
    ext: str
    argv: Callable[[Path], list[str]]
    times: dict[int, list[float]] = field(default_factory=dict)
    cpu: dict[int, list[float]] = field(default_factory=dict)

    def best(self, n: int) -> float:
        return min(self.times[n])

    def _sizes(self) -> tuple[int, int]:
        small, large = sorted(self.times)[-2:]
        return small, large

    def slope_ms(self) -> float:
        small, large = self._sizes()
        return (self.best(large) - self.best(small)) / (large - small) * 1000

    def cpu_slope_ms(self) -> float:
        small, large = self._sizes()
        return (min(self.cpu[large]) - min(self.cpu[small])) / (large - small) * 1000

    def startup(self) -> float:
        return self.best(1)


def tools(prysk_shell: str, *, installed_only: bool = False) -> list[Tool]:
    """The tools compared; `installed_only` leaves out prysk and byexample when missing."""
    every = [
        Tool("bash", "sh", lambda p: ["bash", "--noprofile", "--norc", str(p)]),
        Tool("prysk", "t", lambda p: [_tool("prysk"), "--shell", prysk_shell, str(p)]),
        Tool(
            "byexample",
            "txt",
            lambda p: [_tool("byexample"), "-l", "shell", "--no-progress-bar", "-q", str(p)],
        ),
        Tool("runner", "md", lambda p: [*verify_argv(), str(p)]),
    ]
    if not installed_only:
        return every
    return [t for t in every if t.name in ("bash", "runner") or _installed(t.name)]


def _installed(name: str) -> bool:
    return (BIN / name).is_file() or shutil.which(name) is not None


def timed(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Seconds for one run; exits with the tool's error output when it does not pass."""
    return timed_cpu(argv, cwd, env)[0]


def timed_cpu(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system of the process and the children it waited
    for) of one run; exits with the tool's error output when it does not pass."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        argv,
        cwd=cwd,
        env=env or _env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise BenchError(argv, done.returncode, done.stderr.decode(errors="replace"))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def check_terminal(out: Path) -> str:
    done = subprocess.run(
        [*verify_argv(), "tty.md"],
        cwd=out,
        env=_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    if done.returncode == 0:
        return "kept (tty.md: stdin/stdout are a terminal, stty size 24 80, /dev/tty opens)"
    return "BROKEN: runner verify tty.md failed:\n" + done.stdout.decode()[-1500:]


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}, {platform.system()} {platform.release()}"


def versions() -> str:
    found = []
    for name in ("prysk", "byexample"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} ?")
    bash = subprocess.run(["bash", "--version"], capture_output=True, text=True, check=False)
    found.append(bash.stdout.split("\n", 1)[0].replace("GNU bash, version ", "bash "))
    found.append(f"Python {platform.python_version()}")
    return ", ".join(found)


# --- synthetic ---------------------------------------------------------------------------------


def synthetic(args: argparse.Namespace) -> list[Tool]:
    files = generate(args.out, args.sizes)
    chosen = tools(args.prysk_shell, installed_only=args.short)
    for tool in chosen:
        tool.times = {n: [] for n in args.sizes}
        tool.cpu = {n: [] for n in args.sizes}
    # Warm-up: page caches, .pyc files; also proves every input passes.
    for tool in chosen:
        for n in args.sizes:
            timed(tool.argv(files[n][tool.ext]), args.out)
    started = time.monotonic()
    for round_ in range(1, args.rounds + 1):
        for tool in chosen:
            for n in args.sizes:
                wall, cpu = timed_cpu(tool.argv(files[n][tool.ext]), args.out)
                tool.times[n].append(wall)
                tool.cpu[n].append(cpu)
        spent = time.monotonic() - started
        print(f"  round {round_}/{args.rounds} done, {spent:.0f}s, load {load()}", file=sys.stderr)
        if round_ >= min(3, args.rounds) and spent / round_ * (round_ + 1) > args.budget:
            print(f"  stopping after {round_} rounds: budget {args.budget:g}s", file=sys.stderr)
            break
    return chosen


def print_synthetic(chosen: list[Tool], sizes: tuple[int, ...]) -> None:
    by = {t.name: t for t in chosen}
    heads = " ".join(f"{f'N={n} (s)':>10}" for n in sizes)
    print(
        f"{'tool':<10} {heads} "
        f"{'per command (ms)':>17} {'above bash (ms)':>16} {'CPU/command (ms)':>17}"
    )
    for tool in chosen:
        above = tool.slope_ms() - by["bash"].slope_ms()
        bests = " ".join(f"{tool.best(n):>10.3f}" for n in sizes)
        print(
            f"{tool.name:<10} {bests} "
            f"{tool.slope_ms():>17.3f} {above if tool.name != 'bash' else 0:>16.3f} "
            f"{tool.cpu_slope_ms():>17.3f}"
        )
    if "prysk" not in by or "byexample" not in by:
        print("\n(prysk or byexample is not installed: no comparison with them)")
        return
    runner, bash, prysk, byexample = by["runner"], by["bash"], by["prysk"], by["byexample"]
    over = runner.slope_ms() - bash.slope_ms()
    ratio = byexample.slope_ms() / runner.slope_ms() if runner.slope_ms() > 0 else float("inf")
    print()
    print(
        f"runner - bash, per command:      {over:.3f} ms   (target <= {MAX_OVER_BASH_MS} ms)   "
        f"{_ok(over <= MAX_OVER_BASH_MS)}"
    )
    print(
        f"byexample / runner, per command: {ratio:.2f}x      "
        f"(target >= {MIN_BYEXAMPLE_RATIO:g}x)      "
        f"{_ok(ratio >= MIN_BYEXAMPLE_RATIO)}"
    )
    print(
        f"runner start-up vs prysk's:      {runner.startup():.3f} s vs {prysk.startup():.3f} s "
        f"(target <=)  {_ok(runner.startup() <= prysk.startup())}"
    )
    print(
        "(CPU/command: user + system time of the tool and the children it waited for, per "
        "command; steadier than wall time on a busy machine, but it leaves out waiting)"
    )
    rounds = len(runner.times[1])
    print(
        f"(best of {rounds} rounds; all runs in seconds, runner N={sizes[-1]}: "
        f"{', '.join(f'{t:.3f}' for t in runner.times[sizes[-1]])})"
    )


def _ok(passed: bool) -> str:
    return "ok" if passed else "MISSED"


# --- real guide --------------------------------------------------------------------------------


def docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        done = subprocess.run(["docker", "info"], capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def real_guide(page: Path, rounds: int, out: Path) -> None:
    print(f"\nReal guide vs plain script: {page}")
    if not page.is_file():
        print(f"  skipped: {page} does not exist (yet)")
        return
    if not docker_answers():
        print(
            "  skipped: needs the Docker toolchain and `docker info` does not answer "
            "(try `runner toolchain up`)"
        )
        return
    settings = load_settings(find_config(page.resolve().parent))
    (plan,) = plans([page], settings)
    if any(isinstance(s, StartService) for s in plan.steps) and shutil.which("script") is None:
        print("  skipped: the page starts services and util-linux `script` is not installed")
        return
    out.mkdir(parents=True, exist_ok=True)
    script = out / f"plain-{page.stem}.sh"
    script.write_text(plain_script(plan, dict(settings.env)), encoding="utf-8")
    print(f"  {len(plan.steps)} steps; plain script: {script}")

    def run_plain() -> float:
        nonce = secrets.token_hex(8)
        env = shell_environment(os.environ, settings.env, nonce)
        with scratch_workspace(settings.sample, keep=False) as ws, contextlib.ExitStack() as stack:
            if plan.uses_docker:  # the same ownership as the runner's pages, for a fair race
                owner = DockerOwnership(ws.parent, ws.parent / "docker.jsonl")
                env.update(stack.enter_context(owner).environment())
            try:
                return timed(["bash", "--noprofile", "--norc", str(script)], ws, env)
            finally:
                kill_session(nonce)

    def run_runner() -> float:
        return timed([*verify_argv(), str(page)], REPO)

    print("  warm-up: runner verify (fills the image cache; not counted)")
    plain, runner = [], []
    try:
        run_runner()
        for _ in range(rounds):
            plain.append(run_plain())
            runner.append(run_runner())
    except BenchError as error:
        print(f"  not measured: a run failed (the page must pass first): {error}")
        print(f"  (run `runner verify {page}` to see why)")
        return
    ratio = min(runner) / min(plain)
    print(
        f"  plain script: {min(plain):.2f} s   runner verify: {min(runner):.2f} s   "
        f"ratio {ratio:.3f} (target <= {MAX_REAL_RATIO})  {_ok(ratio <= MAX_REAL_RATIO)}"
    )
    print(
        f"  (best of {rounds}; plain {', '.join(f'{t:.2f}' for t in plain)}; "
        f"runner {', '.join(f'{t:.2f}' for t in runner)})"
    )


# --- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--rounds", type=int, default=5, help="timed rounds (best kept; at least 3)"
    )
    parser.add_argument(
        "--budget", type=float, default=150, help="seconds for the synthetic rounds"
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="where the inputs are written"
    )
    parser.add_argument(
        "--prysk-shell", default="/bin/bash", help="shell prysk runs (its default: /bin/sh)"
    )
    parser.add_argument("--page", type=Path, default=DEFAULT_PAGE, help="the real guide")
    parser.add_argument(
        "--real-rounds", type=int, default=2, help="timed rounds for the real guide"
    )
    parser.add_argument("--no-real", action="store_true", help="skip the real-guide figure")
    parser.add_argument("--no-synthetic", action="store_true", help="only the real-guide figure")
    parser.add_argument(
        "--short",
        action="store_true",
        help="one round of small sizes, no real guide, missing tools left out (CI)",
    )
    args = parser.parse_args()
    args.out = args.out.resolve()
    args.sizes = SHORT_SIZES if args.short else SIZES
    if args.short:
        args.rounds, args.no_real = 1, True

    print(f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; {machine()}")
    print(f"{versions()}; load average at start {load()}")
    if not args.no_synthetic:
        started = time.monotonic()
        print("\nSynthetic guides of N `echo` commands", file=sys.stderr)
        try:
            chosen = synthetic(args)
        except BenchError as error:
            sys.exit(f"bench: {error}")
        print(f"\nSynthetic guides of N `echo` commands ({time.monotonic() - started:.0f}s)\n")
        print_synthetic(chosen, args.sizes)
        print(f"terminal semantics: {check_terminal(args.out)}")
    if not args.no_real:
        real_guide(args.page.resolve(), args.real_rounds, args.out)
    print(f"\nload average at end {load()}")


if __name__ == "__main__":
    main()
