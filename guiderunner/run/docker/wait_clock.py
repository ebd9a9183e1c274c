"""The process's clock of claim waits (guiderunner.run.docker.claims), apart from the claims.

Every page's shell reads it (a step's timeout does not count a wait for another run's names),
while only a page whose Docker calls go through the proxy makes claims: this module is what
the first needs, without the claims' hashing, JSON and files.
"""

from __future__ import annotations

import threading
import time


class WaitClock:
    """Seconds this process's runs have spent waiting for other runs' claims.

    Waits in progress included: a step's own timeout does not count them (run.shell.session
    takes `waited`).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done = 0.0
        self._since: dict[int, float] = {}

    def start(self) -> None:
        """The calling thread begins to wait."""
        with self._lock:
            self._since[threading.get_ident()] = time.monotonic()

    def stop(self) -> None:
        """The calling thread waits no more."""
        with self._lock:
            began = self._since.pop(threading.get_ident(), None)
            if began is not None:
                self._done += time.monotonic() - began

    def waited(self) -> float:
        """Seconds waited so far; a wait in progress counts up to now."""
        if not self._since:
            return self._done  # no wait in progress: the usual case, asked per command
        now = time.monotonic()
        with self._lock:
            return self._done + sum(now - began for began in self._since.values())


WAITING = WaitClock()
"""The process's one clock of claim waits."""
