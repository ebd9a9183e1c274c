"""The cost of sending a page's docker calls through the ownership proxy, against direct calls.

    flock /tmp/stockkube-docker.lock python bench/docker_proxy.py [--calls 50] [--builds 5]

Needs the Docker toolchain (`runner toolchain up`: the engine and the .NET stand-in images).
Figures (wall clock, time.perf_counter around each call; direct and proxied calls alternate so
that a burst of load on the machine hits both alike, first one then the other first; the
median of each is kept). "proxy CPU" is the CPU time this process (which hosts the proxy's
threads) spent per proxied call beyond a direct one: it moves much less than wall time when
the machine is busy.
- API round trip: GET /_ping over the socket, in process (the proxy's own floor);
- `docker version`, `docker ps -a`: the docker CLI (/usr/local/bin/docker), process included;
- `docker build`: a 4 MiB context with the legacy builder, and with BuildKit
  (/usr/bin/docker, DOCKER_BUILDKIT=1), whose context goes through the /session upgrade;
- `docker create` and `docker tag`: the calls the proxy watches (body rewritten, engine
  inspected, record line written);
- enter + exit of DockerOwnership with nothing made, and the removal of 5 containers.
Everything the bench builds or runs is removed at its end.

Measured 2026-11-29 ~10:12 UTC (2 cores, load average 2-4 from other work, engine 20.10.24):
an API round trip +0.3-0.4 ms; proxy CPU 1.1-1.4 ms per read-only CLI call, 2.0-2.5 ms per
watched call (create, tag), 4-5 ms per build. Wall-clock differences of CLI calls are within
noise (-0.4 to +3 ms) except for jumps of one ~16 ms step: the docker CLI's own times come in
steps of ~16 ms (15.7, 32), so a sub-millisecond delay can show as +16 ms in one run and as
+0.04 ms in the next (`docker tag`, 20 ABBA rounds, run alone: 15.74 vs 15.78 ms). Read the
CPU column to judge a change. DockerOwnership enter + exit with nothing made: 2.4 ms; removing
5 running containers (forced, in parallel): ~0.3 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from guiderunner.run.docker.api import Engine  # noqa: E402
from guiderunner.run.docker.owned import DockerOwnership  # noqa: E402

ASPNET = "mcr.microsoft.com/dotnet/aspnet:10.0"
NEW_CLIENT = "/usr/local/bin/docker"
DEBIAN_CLIENT = "/usr/bin/docker"


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def cli(env: dict[str, str], *args: str, exe: str = NEW_CLIENT) -> Callable[[], object]:
    def run() -> object:
        return subprocess.run(
            [exe, *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=300,
            check=True,
        )

    return run


def discard(*args: str) -> None:
    """Remove what a direct call made (proxied ones go at the DockerOwnership exit)."""
    subprocess.run([NEW_CLIENT, *args], capture_output=True, timeout=120, check=False)


def creator(env: dict[str, str], made: list[str]) -> Callable[[], object]:
    def create() -> object:
        done = subprocess.run(
            [NEW_CLIENT, "create", ASPNET], env=env, capture_output=True, text=True, check=True
        )
        made.append(done.stdout.strip())
        return done

    return create


def compare(
    name: str, rounds: int, direct: Callable[[], object], proxied: Callable[[], object]
) -> None:
    """Alternate direct and proxied runs (ABBA); print medians in ms and the difference.

    Which one goes first flips every round: `docker version` in particular is bimodal
    (~17 or ~32 ms here, the engine runs runc and docker-init to report their versions), and
    a fixed order let one mode fall on one side.
    """
    times: tuple[list[float], list[float]] = ([], [])
    cpu = [0.0, 0.0]
    for round_ in range(rounds):
        for side in (round_ % 2, 1 - round_ % 2):
            start = time.process_time()
            times[side].append(timed((direct, proxied)[side]))
            cpu[side] += time.process_time() - start
    plain, through = (statistics.median(t) * 1000 for t in times)
    own = (cpu[1] - cpu[0]) / rounds * 1000
    print(
        f"| {name} | {rounds} | {plain:.2f} | {through:.2f} | {through - plain:+.2f} | {own:.2f} |"
    )


def build_context(folder: Path) -> Path:
    folder.mkdir()
    (folder / "Dockerfile").write_text(f"FROM {ASPNET}\nCOPY blob /blob\n")
    (folder / "blob").write_bytes(os.urandom(4 * 1024 * 1024))
    return folder


def call_figures(plain_env: dict[str, str], env: dict[str, str], calls: int) -> None:
    """API round trip, read-only CLI calls, and the calls the proxy watches."""
    direct_engine, proxied_engine = Engine.from_environment(), Engine(env["DOCKER_HOST"])
    compare(
        "API GET /_ping (in process)",
        calls * 10,
        lambda: direct_engine.call("GET", "/_ping"),
        lambda: proxied_engine.call("GET", "/_ping"),
    )
    compare("docker version", calls, cli(plain_env, "version"), cli(env, "version"))
    compare("docker ps -a", calls, cli(plain_env, "ps", "-a"), cli(env, "ps", "-a"))
    made: list[str] = []
    tag = ("tag", ASPNET, "stockkube-bench-proxy:direct")
    try:
        compare(
            "docker create (label, inspect, record)",
            calls // 5,
            creator(plain_env, made),
            creator(env, made),
        )
        compare(
            "docker tag (2 inspects, 2 record lines)",
            calls // 5,
            cli(plain_env, *tag),
            cli(env, "tag", ASPNET, "stockkube-bench-proxy:proxied"),
        )
    finally:
        discard("rm", "-f", *made)
        discard("rmi", "--no-prune", "stockkube-bench-proxy:direct")


def build_figures(plain_env: dict[str, str], env: dict[str, str], builds: int, root: Path) -> None:
    """One small context upload per build, legacy builder and BuildKit."""
    # Direct and proxied builds tag apart: a tag the direct build made would be, for the
    # proxy, one that existed before the page, and so put back at the end.
    context = str(build_context(root / "context"))
    build = ("build", "-q", "-t", "stockkube-bench-proxy:direct", context)
    proxied = ("build", "-q", "-t", "stockkube-bench-proxy:proxied", context)
    buildkit = {"DOCKER_BUILDKIT": "1"}
    try:
        compare(
            "docker build, 4 MiB context (legacy)",
            builds,
            cli(plain_env, *build),
            cli(env, *proxied),
        )
        compare(
            "docker build, 4 MiB context (BuildKit)",
            builds,
            cli({**plain_env, **buildkit}, *build, exe=DEBIAN_CLIENT),
            cli({**env, **buildkit}, *proxied, exe=DEBIAN_CLIENT),
        )
    finally:
        discard("rmi", "--no-prune", "stockkube-bench-proxy:direct")


def lifecycle_figures(plain_env: dict[str, str], root: Path) -> None:
    """Starting and stopping the proxy, and removing what a page made."""
    lifecycle = timed(lambda: DockerOwnership(root, root / "r2.jsonl").__enter__().close())
    print(f"\nDockerOwnership enter + exit, nothing made: {lifecycle * 1000:.1f} ms")
    start = time.perf_counter()
    with DockerOwnership(root, root / "r3.jsonl") as owned:
        env = {**plain_env, **owned.environment()}
        for _ in range(5):
            cli(env, "run", "-d", ASPNET, "sleep", "300")()
        made = time.perf_counter()
    print(
        f"removal of 5 running containers: {(time.perf_counter() - made) * 1000:.0f} ms "
        f"(making them: {(made - start) * 1000:.0f} ms)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--builds", type=int, default=5)
    options = parser.parse_args()
    plain_env = dict(os.environ)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        with DockerOwnership(root, root / "record.jsonl") as owned:
            env = {**plain_env, **owned.environment()}
            print("| call | runs | direct ms | proxied ms | difference ms | proxy CPU ms |")
            print("| --- | --- | --- | --- | --- | --- |")
            call_figures(plain_env, env, options.calls)
            build_figures(plain_env, env, options.builds, root)
        lifecycle_figures(plain_env, root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
