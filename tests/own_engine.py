"""Run pytest against a second Docker engine of our own, in its own network namespace.

    python -m tests.own_engine [pytest arguments]

Why: the chapter's tests (marked `own_engine`) compare the whole engine's state before and
after a run of the chapter, so they cannot share an engine with the other tests that use one;
they were the longest part of the engine's half of the suite (four minutes of ten). On an
engine of their own (guiderunner.toolchain.extra_engine: its own dockerd, data, namespace and
registry, the stand-in images copied in) they run at the same time as the engine's half, and
their pages' fixed ports are that namespace's. `./dev test` starts this beside the two other
parts; with RUNNER_TEST_OWN_ENGINE=0, or where a second engine cannot run (it needs root),
those tests run in the engine's half instead.

Whatever happens (failure, Ctrl-C, SIGTERM), the engine and everything it made are removed
before this exits: the engine's own `stop` works from its folder and its name.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

from guiderunner.toolchain import extra_engine, extras, images, netns
from guiderunner.toolchain.errors import ToolchainError

IMAGES = (*images.TAGS, images.BASE_TAG, *extras.TAGS)
"""What the main toolchain holds and the tests use: the .NET stand-ins, the Debian base of the
small test images, `registry:2` and the chiseled runtime."""

CANNOT_START = 3
"""The exit status when the second engine did not start (the machine lacks something)."""

GRACE = 120.0
"""Seconds pytest gets to clean up after Ctrl-C before it is killed."""


def _interrupted(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(signum)


def _pytest(engine: extra_engine.Engine, arguments: list[str]) -> int:
    """pytest inside the engine's namespace, with DOCKER_HOST at it; its exit status.

    pytest is in our process group: a Ctrl-C reaches it directly, and we wait for it to clean
    up (its fixtures remove what its tests made) before the engine goes.
    """
    command = engine.argv([sys.executable, "-m", "pytest", *arguments])
    child = subprocess.Popen(command, env=engine.environ())
    try:
        return child.wait()
    except KeyboardInterrupt as stop:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if stop.args == (signal.SIGTERM,):  # a Ctrl-C reached pytest already, a SIGTERM did not
            child.send_signal(signal.SIGINT)
        try:
            child.wait(timeout=GRACE)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        return 130


NO_TESTS = 5
"""pytest's exit status when it selected no test."""


def _selects_none(arguments: list[str]) -> bool:
    """Whether these arguments select no test here: then no engine is started for nothing."""
    collect = [sys.executable, "-m", "pytest", "--collect-only", "-q", *arguments]
    done = subprocess.run(collect, capture_output=True, check=False)
    return done.returncode == NO_TESTS


def main(arguments: list[str]) -> int:
    """Start the engine, run pytest there, remove the engine; pytest's exit status."""
    signal.signal(signal.SIGTERM, _interrupted)
    if _selects_none(arguments):
        return NO_TESTS
    base = Path(tempfile.mkdtemp(prefix="rte-", dir="/tmp"))
    layout = extra_engine.EngineLayout(base, netns.Netns("rte", netns.free_number()))
    began = time.monotonic()
    try:
        with extra_engine.running(layout, IMAGES) as engine:
            print(
                f"own engine: ready in {time.monotonic() - began:.1f} s "
                f"(images copied: {', '.join(engine.copied) or 'none'})",
                file=sys.stderr,
            )
            return _pytest(engine, arguments)
    except ToolchainError as error:
        print(f"own engine: {error}", file=sys.stderr)
        print(
            "own engine: RUNNER_TEST_OWN_ENGINE=0 runs its tests on the main engine",
            file=sys.stderr,
        )
        return CANNOT_START
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
