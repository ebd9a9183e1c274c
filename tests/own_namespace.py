"""Run pytest in a network namespace of its own, with a second Docker engine there if asked.

    python -m tests.own_namespace [--engine] [pytest arguments]

Why: `./dev test` runs parts of the suite side by side, and two parts must not meet.
- A page's own processes may bind a fixed port (docs/authoring.md serves files on
  127.0.0.1:8731): two parts verifying it at once took the same port (seen: "Address already
  in use" in one part while the other ran the page). Each part but the engine's runs on its own
  loopback here (guiderunner.toolchain.netns: a veth and NAT, so the network is still there).
- `--engine`: the chapter's tests and the others marked `own_engine` compare the whole engine's
  state before and after a run, so they cannot share an engine with the engine's tests; they
  were four of the engine part's ten minutes. A second engine of our own
  (guiderunner.toolchain.extra_engine: its own dockerd, data and registry, the stand-in images
  copied in) runs in the namespace, DOCKER_HOST points at it, and its published ports are
  that namespace's.
Both need root; with RUNNER_TEST_NAMESPACES=0, or as a normal user, `./dev test` runs the
parts as before (the `own_engine` tests then with the engine's).

Whatever happens (failure, Ctrl-C, SIGTERM), the namespace, the engine and everything it made
are removed before this exits: their `remove` and `stop` work from the names alone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

from guiderunner.settings import find_config, load_settings
from guiderunner.toolchain import extra_engine, extras, images, netns
from guiderunner.toolchain.errors import ToolchainError
from guiderunner.toolchain.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

IMAGES = (*images.TAGS, images.BASE_TAG, *extras.TAGS)
"""What the main toolchain holds and the tests use: the .NET stand-ins, the Debian base of the
small test images, `registry:2` and the chiseled runtime."""

CANNOT_START = 3
"""The exit status when the namespace or the engine could not be made here."""

GRACE = 120.0
"""Seconds pytest gets to clean up after Ctrl-C before it is killed."""


def _interrupted(signum: int, _frame: FrameType | None) -> None:
    """The first Ctrl-C or SIGTERM stops what runs; later ones are ignored, so that the
    clean-up they set off is never cut short (a second Ctrl-C mid-`stop` left a namespace)."""
    _hold_signals()
    raise KeyboardInterrupt(signum)


def _hold_signals() -> None:
    """From now on the namespace and the engine are being removed: nothing may stop that."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _pytest(enter: list[str], env: dict[str, str], arguments: list[str]) -> int:
    """pytest inside the namespace (`enter`), with `env`; its exit status.

    pytest is in our process group: a Ctrl-C reaches it directly, and we wait for it to clean
    up (its fixtures remove what its tests made) before the namespace goes.
    """
    child = subprocess.Popen([*enter, sys.executable, "-m", "pytest", *arguments], env=env)
    try:
        status = child.wait()
    except KeyboardInterrupt as stop:
        if stop.args == (signal.SIGTERM,):  # a Ctrl-C reached pytest already, a SIGTERM did not
            child.send_signal(signal.SIGINT)
        try:
            child.wait(timeout=GRACE)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        return 130
    else:
        _hold_signals()  # what comes next is the clean-up
        return status


NO_TESTS = 5
"""pytest's exit status when it selected no test."""


def _selects_none(arguments: list[str]) -> bool:
    """Whether these arguments select no test here: then no engine is started for nothing."""
    collect = [sys.executable, "-m", "pytest", "--collect-only", "-q", *arguments]
    done = subprocess.run(collect, capture_output=True, check=False)
    return done.returncode == NO_TESTS


def main(arguments: list[str]) -> int:
    """Make the namespace (and the engine), run pytest there, remove them; pytest's status."""
    signal.signal(signal.SIGINT, _interrupted)
    signal.signal(signal.SIGTERM, _interrupted)
    engine = arguments[:1] == ["--engine"]
    arguments = arguments[1:] if engine else arguments
    if _selects_none(arguments):
        return NO_TESTS
    try:
        return _with_engine(arguments) if engine else _in_namespace(arguments)
    except ToolchainError as error:
        print(f"own namespace: {error}", file=sys.stderr)
        print("own namespace: RUNNER_TEST_NAMESPACES=0 runs the parts without", file=sys.stderr)
        return CANNOT_START
    except KeyboardInterrupt:
        return 130


def _in_namespace(arguments: list[str]) -> int:
    ns = netns.Netns("rtn", netns.free_number())
    netns.create(ns)
    try:
        return _pytest(ns.enter(), dict(os.environ), arguments)
    finally:
        netns.remove(ns)


def _images_folder() -> Path:
    """Where the second engine keeps its images between runs: beside the toolchain's own.

    Kept, as the main engine's are: the stand-ins are not copied again (1 GB through
    `docker save | docker load`) and the chapter's first build finds its cache, as it does on
    the main engine. Everything else of the engine goes with it.
    """
    config = find_config(ROOT)
    given = load_settings(config).toolchain if config is not None else {}
    return Settings.from_env(config=given).cache / "test-engine"


def _fresh(engine: extra_engine.Engine) -> None:
    """Only the kept images: what a killed run left in the engine's folder goes first.

    The engine is the suite's own, so all of it but IMAGES is a leftover (a run killed with
    SIGKILL left a container, or a chapter image the next run's check would find).
    """

    def docker(*args: str, check: bool = True) -> list[str]:
        argv = ["docker", "--host", engine.layout.docker_host, *args]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=check)
        return done.stdout.split()

    containers = docker("ps", "-aq")
    if containers:
        docker("rm", "-f", "--volumes", *containers)
    volumes = docker("volume", "ls", "-q")
    if volumes:
        docker("volume", "rm", "--force", *volumes)
    docker("network", "prune", "--force")
    kept = set(IMAGES)
    rows = docker("image", "ls", "--all", "--format", "{{.Repository}}:{{.Tag}}@{{.ID}}")
    others = {row.split("@")[1] for row in rows if row.split("@")[0] not in kept}
    others -= {row.split("@")[1] for row in rows if row.split("@")[0] in kept}
    if others:  # a layer a kept image stands on is refused, and stays
        docker("image", "rm", "--force", *others, check=False)


def _with_engine(arguments: list[str]) -> int:
    base = Path(tempfile.mkdtemp(prefix="rte-", dir="/tmp"))
    ns = netns.Netns("rte", netns.free_number())
    layout = extra_engine.EngineLayout(base, ns, data_root=_images_folder())
    began = time.monotonic()
    try:
        with extra_engine.running(layout, IMAGES) as engine:
            _fresh(engine)
            copied = ", ".join(engine.copied) or "none"
            took = time.monotonic() - began
            print(f"own engine: ready in {took:.1f} s (images copied: {copied})", file=sys.stderr)
            return _pytest(engine.argv([]), engine.environ(), arguments)
    finally:
        with contextlib.suppress(OSError):
            base.rmdir()  # refused before it started (another run's engine): our empty folder


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
