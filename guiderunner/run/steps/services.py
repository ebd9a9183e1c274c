"""Long-running commands (servers, `docker run -ti`) on a terminal of their own.

A service starts from the page shell's exported variables and directory, so it behaves as if
typed there; a thread drains its terminal so it never blocks on a full buffer. Stopping it is
what a reader does: Ctrl-C, then SIGTERM and SIGKILL to its process group if it does not listen.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import threading
import time
from collections.abc import Mapping
from pathlib import Path

from guiderunner.closing import Closing
from guiderunner.run.box.namespace import Box
from guiderunner.run.shell.session import INTERRUPT, quote_ansi_c
from guiderunner.run.shell.terminal import Terminal

STOP_GRACE = 10.0  # seconds a service gets after Ctrl-C (ASP.NET Core drains requests)
KILL_GRACE = 3.0
DRAIN = 0.1  # seconds of silence after which a stopped service has said all it will


class RunningService:
    """One running service: its terminal, its output so far, and how to stop it."""

    def __init__(
        self,
        name: str,
        text: str,
        state: Path,
        cwd: Path,
        env: Mapping[str, str],
        *,
        box: Box | None = None,
    ) -> None:
        self.name = name
        script = f". {quote_ansi_c(str(state))} && eval {quote_ansi_c(text)}"
        argv = ["bash", "--noprofile", "--norc", "-c", script]
        self._child = Terminal(argv, cwd, env, box)
        self._output = bytearray()
        self._changed = threading.Condition()
        self._ended = False
        self._stopped = False
        self._reader = threading.Thread(target=self._drain, name=f"service-{name}", daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        """Read its terminal until it closes, or, once stopped, until nothing more comes."""
        fd = self._child.fd
        while True:
            if not select.select([fd], [], [], DRAIN)[0]:
                if not self._stopped:
                    continue
                chunk = b""  # stopped, and a process it detached holds the terminal open
            else:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    chunk = b""
            with self._changed:
                if not chunk:
                    self._ended = True
                    self._changed.notify_all()
                    return
                self._output += chunk
                self._changed.notify_all()

    @property
    def output(self) -> bytes:
        """Everything it printed so far."""
        with self._changed:
            return bytes(self._output)

    def wait_ready(self, ready: re.Pattern[str], timeout: float) -> str | None:
        """Wait until the output matches `ready`; None when ready, else why not."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not ready.search(self._output.decode("utf-8", "replace")):
                if self._ended:
                    return "it exited before it was ready"
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return f"not ready after {timeout:g}s"
                self._changed.wait(remaining)
        return None

    def stop(self) -> int | None:
        """Ctrl-C, then harder; returns its exit status (None when it died of a signal)."""
        if not self._ended:
            with contextlib.suppress(OSError):
                os.write(self._child.fd, INTERRUPT)
        for sig, grace in (
            (None, STOP_GRACE),
            (signal.SIGTERM, KILL_GRACE),
            (signal.SIGKILL, KILL_GRACE),
        ):
            if sig is not None:
                with contextlib.suppress(OSError):
                    os.killpg(self._child.pid, sig)
            if self._wait_end(grace):
                break
        self._stopped = True
        self._reader.join(KILL_GRACE)
        self._child.close()
        return self._child.exit_status

    def _wait_end(self, grace: float) -> bool:
        """Wait until its terminal is closed, or its program and session have ended.

        A process it detached into a session of its own may hold the terminal open for ever
        (the box ends it with the page): the service has stopped when its own session has.
        """
        deadline = time.monotonic() + grace
        with self._changed:
            while not (self._ended or self._child.ended):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(min(remaining, 0.05))
        return True


class Services(Closing):
    """The services of one page, by name; whatever is still running at the end is stopped."""

    def __init__(self, box: Box | None = None) -> None:
        self._running: dict[str, RunningService] = {}
        self.box = box
        """The page's box (run.box.namespace) its services join, or None."""

    def close(self) -> None:
        """Stop every service still running, the last started first."""
        for name in reversed(list(self._running)):
            self.pop(name).stop()

    def add(self, service: RunningService) -> None:
        """Remember a started service."""
        self._running[service.name] = service

    def pop(self, name: str) -> RunningService:
        """Take a service out, to stop it."""
        return self._running.pop(name)

    def __contains__(self, name: object) -> bool:
        return name in self._running
