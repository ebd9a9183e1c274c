"""Names and host ports a run holds on an engine, so that two runs at once never share one.

A page names its objects (`docker run --name web -p 8080:80`, `docker build -t app`, a volume
`data`). Two runs of that page at once on one engine would take the same names and ports, and
the first to finish would remove what the second made under them. So before the proxy lets a
call take a name (container, network, volume, image tag) or bind a fixed host port, the run
claims it here. A claim another live run holds makes the call wait, inside the proxy, until
that run has ended and removed its objects: the page's docker client only waits, and prints
what it would have printed alone.

A claim is one file, `<folder>/<hash of engine and key>.json`, made whole with link() so that
no reader sees half of it: the holder's session, pid and start time, and its ownership record.
A holder that died is taken over (rename, which only one taker wins) after its recorded
objects are removed. Two runs waiting for each other (A holds x and waits for y, B holds y and
waits for x) would wait for ever: the one with the greater session id is refused at once, with
a message naming both, and the other goes on once the refused run has ended.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from guiderunner.run.box.processes import process_start
from guiderunner.run.docker.wait_clock import WAITING

WAIT = float(os.environ.get("RUNNER_CLAIM_WAIT") or 600)
"""Seconds a call waits for a name another run holds (the step's own timeout may come first)."""
POLL = 0.2


class Refused(Exception):
    """A call the proxy answers itself, with an HTTP error the client prints."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


def claims_folder(environ: dict[str, str] | os._Environ[str] = os.environ) -> Path:
    """Where claims live: shared by every run of this user on this machine (`RUNNER_CLAIMS`)."""
    chosen = environ.get("RUNNER_CLAIMS")
    return Path(chosen) if chosen else Path(tempfile.gettempdir()) / f"runner-claims-{os.getuid()}"


@dataclass(slots=True)
class Claims:
    """The claims of one run on one engine."""

    folder: Path
    engine: str
    session: str
    record: str
    """The run's ownership record: a taker of a dead run's claim removes what it lists."""
    reclaim: Callable[[Path], object]
    """Removes a dead run's recorded objects (owned.remove_recorded)."""
    wait: float = WAIT
    _held: set[str] = field(default_factory=set)
    _stop: threading.Event = field(default_factory=threading.Event)

    def claim(self, keys: Iterable[str]) -> None:
        """Hold every key, waiting for other runs to let go of them.

        Raises:
            Refused: the wait would never end (each waits for the other), it went on longer
                than `wait`, or the run is ending.
        """
        for key in keys:
            if key not in self._held:
                self._claim_one(key)

    def _claim_one(self, key: str) -> None:
        path = self._path(key)
        deadline = time.monotonic() + self.wait
        waiting = False
        try:
            while not self._take(path, key):
                if not waiting:
                    WAITING.start()
                    waiting = True
                holder = _read(path)
                if holder is not None and self._deadlocked(holder):
                    raise Refused(_deadlock_message(key, holder))
                self._waiting(key)
                if self._stop.wait(POLL):
                    raise Refused(f"runner: the run ended while waiting for the {key}")
                if time.monotonic() > deadline:
                    raise Refused(_timeout_message(key, holder, self.wait))
        finally:
            if waiting:
                WAITING.stop()
            self._path(f"wait {self.session}").unlink(missing_ok=True)
        self._held.add(key)

    def _take(self, path: Path, key: str) -> bool:
        """Make the claim file, or take over a dead holder's; False while a live run holds it."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        mine = {"key": key, "session": self.session, "pid": os.getpid()}
        mine |= {"started": process_start(os.getpid()), "record": self.record}
        temporary = self.folder / f".{self.session}.{threading.get_ident()}"
        temporary.write_text(json.dumps(mine), encoding="utf-8")
        try:
            os.link(temporary, path)
        except FileExistsError:
            holder = _read(path)
            if holder is None or holder.get("session") == self.session:
                return holder is not None
            if _alive(holder):
                return False
            return self._take_over(path, holder)
        finally:
            temporary.unlink(missing_ok=True)
        return True

    def _take_over(self, path: Path, holder: dict[str, object]) -> bool:
        """A dead run's claim: remove its objects, then try again (False: try on the next poll)."""
        stale = path.with_suffix(f".stale-{self.session}")
        try:
            path.rename(stale)  # only one taker wins the rename
        except FileNotFoundError:
            return False
        with contextlib.suppress(Exception):  # its objects are reset's to retry otherwise
            self.reclaim(Path(str(holder.get("record"))))
        stale.unlink(missing_ok=True)
        return False

    def _waiting(self, key: str) -> None:
        """Say which key this run waits for, so that a run waiting for us can see a cycle."""
        note = self._path(f"wait {self.session}")
        note.write_text(json.dumps({"key": key}), encoding="utf-8")

    def _deadlocked(self, holder: dict[str, object]) -> bool:
        """The holder waits for a key this run holds: refuse the greater session of the two."""
        other = str(holder.get("session"))
        wanted = _read(self._path(f"wait {other}"))
        if wanted is None or str(wanted.get("key")) not in self._held:
            return False
        return self.session > other

    def release(self) -> None:
        """Let go of every claim (after the run's objects are removed)."""
        for key in self._held:
            path = self._path(key)
            holder = _read(path)
            if holder is not None and holder.get("session") == self.session:
                path.unlink(missing_ok=True)
        self._held.clear()

    def stop(self) -> None:
        """End every wait in progress: the run is ending."""
        self._stop.set()

    def _path(self, key: str) -> Path:
        digest = hashlib.sha256(f"{self.engine}\n{key}".encode()).hexdigest()[:32]
        return self.folder / f"{digest}.json"


def drop_dead(folder: Path) -> int:
    """Remove the claims (and wait notes) of runs that died: `runner reset`. How many went."""
    dropped = 0
    for path in folder.glob("*.json"):
        holder = _read(path)
        if holder is not None and "pid" in holder and not _alive(holder):
            path.unlink(missing_ok=True)
            dropped += 1
    return dropped


def _read(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _alive(holder: dict[str, object]) -> bool:
    pid = holder.get("pid")
    return isinstance(pid, int) and process_start(pid) == holder.get("started")


def _deadlock_message(key: str, holder: dict[str, object]) -> str:
    return (
        f"runner: the {key} is held by another run (process {holder.get('pid')}) that waits "
        "for a name this run holds; run these pages one after the other"
    )


def _timeout_message(key: str, holder: dict[str, object] | None, wait: float) -> str:
    who = f"process {holder.get('pid')}" if holder else "a run that is ending"
    return f"runner: the {key} is still held by another run ({who}) after {wait:g} s"
