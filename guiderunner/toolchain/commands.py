"""`up`, `down` and `status`: what `runner toolchain ACTION` (guiderunner.cli.toolchain) does."""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import time
from collections.abc import Callable, Iterator

from guiderunner.toolchain import engine, extras, images, registry
from guiderunner.toolchain.errors import ToolchainError
from guiderunner.toolchain.settings import Settings

Say = Callable[[str], None]


def up(settings: Settings, say: Say = print) -> None:
    """Bring up what the project configures, idempotently: what already runs is reused."""
    if not settings.configured:
        say(NOTHING)
        return
    began = time.monotonic()
    check_disk(settings)
    settings.ensure_dirs()
    with _locked(settings, say):
        _timed(say, lambda: [engine.ensure(settings)])
        if settings.images or settings.extras:
            _timed(say, lambda: _images(settings))
        if settings.registry:
            _timed(say, lambda: [registry.ensure(settings)])
    say(f"toolchain: up in {time.monotonic() - began:.1f}s")


def _images(settings: Settings) -> list[str]:
    """The configured image sets, then the extra stand-ins."""
    built = images.ensure(settings) if settings.images else []
    return [*built, *(extras.ensure(settings) if settings.extras else [])]


NOTHING = (
    "toolchain: nothing configured (runner setting `toolchain` in mkdocs.yml: engine, images, "
    "extras, registry)"
)


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
    if not settings.configured:
        say(NOTHING)
        return
    say(engine.describe(settings))
    say(registry.describe(settings))
    if engine.answers() and settings.images:
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
"""The toolchain's actions; `runner toolchain ACTION` (guiderunner.cli.toolchain) runs them."""
