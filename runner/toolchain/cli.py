"""`up`, `down` and `status`: the commands, their one-line errors and their exit statuses."""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import sys
import time
from collections.abc import Callable, Iterator

from runner.toolchain import engine, images, registry
from runner.toolchain.errors import USAGE, ToolchainError
from runner.toolchain.settings import Settings

Say = Callable[[str], None]
USAGE_TEXT = "usage: python -m runner.toolchain {up|down|status}"
HELP_TEXT = f"""{USAGE_TEXT}

  up      start the Docker engine, build the .NET stand-in images, start the registry
  down    stop the registry and the engine that `up` started (images stay on disk)
  status  show what runs and which images exist

Environment: STOCKKUBE_CACHE (default ~/.cache/stockkube), STOCKKUBE_REGISTRY_PORT (5050),
STOCKKUBE_NUGET (auto|network|local-feed), STOCKKUBE_SOLUTION (restored for a local feed),
STOCKKUBE_DOTNET_ROOT (/usr/share/dotnet: the install the stand-ins copy)."""


def up(settings: Settings, say: Say = print) -> None:
    """Bring the whole toolchain up, idempotently: what already runs or exists is reused."""
    began = time.monotonic()
    check_disk(settings)
    settings.ensure_dirs()
    with _locked(settings, say):
        _timed(say, lambda: [engine.ensure(settings)])
        _timed(say, lambda: images.ensure(settings))
        _timed(say, lambda: [registry.ensure(settings)])
    say(f"toolchain: up in {time.monotonic() - began:.1f}s")


def _timed(say: Say, step: Callable[[], list[str]]) -> None:
    """Run one step of `up` and print its lines, the last one with the step's duration."""
    began = time.monotonic()
    lines = step()
    for line in lines[:-1]:
        say(line)
    say(f"{lines[-1]} [{time.monotonic() - began:.1f}s]")


def down(settings: Settings, say: Say = print) -> None:
    """Stop only what `up` started; images and registry data stay in the cache."""
    settings.ensure_dirs()
    with _locked(settings, say):
        say(registry.stop(settings))
        say(engine.stop(settings))


def status(settings: Settings, say: Say = print) -> None:
    """Report the engine, the registry and the images."""
    say(engine.describe(settings))
    say(registry.describe(settings))
    if engine.answers():
        for line in images.describe():
            say(line)


def check_disk(settings: Settings) -> None:
    """Refuse to start on a nearly full disk: builds would die halfway with worse messages."""
    folder = settings.cache
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    free = shutil.disk_usage(folder).free / 2**30
    if free < settings.min_free_gib:
        raise ToolchainError(
            f"disk full: {free:.1f} GiB free under {folder}, "
            f"the toolchain needs {settings.min_free_gib:.0f} GiB"
        )


@contextlib.contextmanager
def _locked(settings: Settings, say: Say) -> Iterator[None]:
    """One `up` or `down` at a time per cache folder; a second one waits for the first."""
    with (settings.cache / "toolchain.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say("toolchain: waiting for another toolchain command to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


COMMANDS: dict[str, Callable[[Settings, Say], None]] = {"up": up, "down": down, "status": status}


def main(argv: list[str]) -> int:
    """Run one command; errors print as `toolchain: <message>` with status 2 (usage) or 3."""
    if argv and argv[0] in ("-h", "--help", "help"):
        print(HELP_TEXT)
        return 0
    if len(argv) != 1 or argv[0] not in COMMANDS:
        print(f"toolchain: {USAGE_TEXT}", file=sys.stderr)
        return USAGE
    try:
        COMMANDS[argv[0]](Settings.from_env(), _say)
    except ToolchainError as error:
        print(f"toolchain: {error}", file=sys.stderr)
        return error.exit_code
    except (OSError, ValueError) as error:
        print(f"toolchain: {type(error).__name__}: {error}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("toolchain: interrupted", file=sys.stderr)
        return 130
    return 0


def _say(line: str) -> None:
    """Print progress at once, so a long `up` shows where it is."""
    print(line, flush=True)
