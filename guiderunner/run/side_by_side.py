"""Pages run side by side (`runner verify -j N`): each page whole in a worker process of its own.

A page's life (shell, proxy, services, cleanup) belongs to one process, so a worker is a
forked child that runs one page and sends back its result, pickled, through a pipe; at most N
live at once, the longest pages (by the last run's durations) started first so that a long page
does not start last. What a page tells its listeners while it runs (each verdict, the live
echo) is kept in the child and handed over with the result; the parent delivers results in page
order, as soon as a page and all the pages before it are done, so reports read as with one
worker. Pages that name the same Docker objects or ports wait for each other through the
proxy's claims (run/docker/claims.py), so they do not collide; they only run less side by side.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import selectors
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from guiderunner.model import Verdict

Result = TypeVar("Result")


@dataclass(slots=True)
class Heard:
    """What a page told its listeners and its echo in a worker, replayed in the parent."""

    verdicts: list[tuple[str, Verdict]] = field(default_factory=list)
    echoed: list[str] = field(default_factory=list)

    def step_finished(self, path: str, verdict: Verdict) -> None:
        """A listener: keep the verdict."""
        self.verdicts.append((path, verdict))

    def echo(self, text: str) -> None:
        """The live echo: keep the text."""
        self.echoed.append(text)


def longest_first(count: int, durations: Sequence[float | None]) -> list[int]:
    """The order to start pages in: known long ones first, unknown ones (None) as long.

    >>> longest_first(4, [1.0, None, 5.0, 2.0])
    [1, 2, 3, 0]
    """
    known = [d for d in durations if d is not None]
    unknown = max(known, default=0.0) + 1.0
    return sorted(range(count), key=lambda i: -(durations[i] or unknown))


@dataclass(slots=True)
class _Worker(Generic[Result]):
    index: int
    pid: int
    fd: int
    data: bytearray = field(default_factory=bytearray)


def side_by_side(
    order: Sequence[int],
    work: Callable[[int], Result],
    workers: int,
    deliver: Callable[[int, Result], None],
) -> None:
    """Run `work(i)` for each i of `order` in at most `workers` children; deliver in index order.

    An exception raised by `work` in a child is raised here when its page's turn comes.
    Leaving early (Ctrl-C, an exception) sends SIGTERM to every live child: each one cleans
    up its own page, as a runner given SIGTERM does.
    """
    waiting = list(order)
    live: dict[int, _Worker[Result]] = {}
    finished: dict[int, tuple[str, object]] = {}
    next_out = 0
    selector = selectors.DefaultSelector()
    try:
        while waiting or live or next_out < len(order):
            while waiting and len(live) < workers:
                child = _fork(waiting.pop(0), work)
                live[child.fd] = child
                selector.register(child.fd, selectors.EVENT_READ)
            for key, _ in selector.select() if live else ():
                child = live[int(key.fd)]
                if chunk := os.read(child.fd, 1 << 16):
                    child.data += chunk
                    continue
                selector.unregister(child.fd)
                os.close(child.fd)
                os.waitpid(child.pid, 0)
                del live[child.fd]
                finished[child.index] = _unpickled(bytes(child.data))
            while next_out in finished:
                status, payload = finished.pop(next_out)
                if status == "error":
                    raise payload if isinstance(payload, BaseException) else RuntimeError(payload)
                deliver(next_out, payload)  # type: ignore[arg-type]
                next_out += 1
    finally:
        for child in live.values():
            with contextlib.suppress(OSError):
                os.kill(child.pid, signal.SIGTERM)
        for child in live.values():
            with contextlib.suppress(OSError):
                os.waitpid(child.pid, 0)
                os.close(child.fd)
        selector.close()


def _fork(index: int, work: Callable[[int], Result]) -> _Worker[Result]:
    """A child that runs one page and writes its pickled outcome to a pipe, then exits."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        try:
            outcome: tuple[str, object] = ("ok", work(index))
        except BaseException as error:  # handed to the parent, raised there
            outcome = ("error", error)
        try:
            data = pickle.dumps(outcome)
        except Exception as error:  # an unpicklable error: say what it was
            data = pickle.dumps(("error", RuntimeError(f"page {index}: {error!r}")))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        os._exit(0)
    os.close(write_end)
    return _Worker(index, pid, read_end)


def _unpickled(data: bytes) -> tuple[str, object]:
    try:
        outcome = pickle.loads(data)  # noqa: S301 - our own child's bytes, through our own pipe
    except Exception:  # a child killed before it wrote its result
        return "error", RuntimeError("a worker ended without a result")
    return outcome if isinstance(outcome, tuple) else ("error", RuntimeError("bad result"))
