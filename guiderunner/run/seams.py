"""The page lifecycle's extension points, in one place: small protocols a feature plugs into.

guiderunner.run.lifecycle.PageRun calls each of them at one moment of a page's life:

- `DockerOwnership` (made by a `DockerOwnershipFactory` when the page starts, for every page
  when an engine answers, whatever its words): which Docker objects belong to the page, kept
  in a record file that `runner reset` reads, and removed when the page ends.
- `EnvironmentLayer`: variables added to the page shell's environment (a scratch HOME).
- `OutputFilter`: rewrites the text that reporters, the JSON file and the live echo see
  (secret masking). Matching sees the filtered text too.
- `RawObserver`: the page shell's raw terminal bytes, unfiltered (an asciicast recording).
- `StepListener`: a verdict as soon as a step is judged (every reporter is one).

Each is a plain callable or a small protocol, gathered in `Extensions`, which callers pass in
through `PageOptions.extensions`; the core does not change when one is added.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Protocol

from guiderunner.model import Step, Verdict


class DockerOwnership(Protocol):
    """Knows exactly which Docker objects one page created, and removes them when it is left.

    Entered before the page's shell starts, left after the page's processes are stopped. It
    writes what it records to its record file as it goes, so that `runner reset` can remove
    the objects of a runner that was killed (guiderunner.run.docker.owned.remove_recorded).
    """

    def __enter__(self) -> DockerOwnership:
        """Start watching (a proxy starts listening)."""

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop watching, then remove what the page made."""

    def environment(self) -> Mapping[str, str]:
        """Variables the page's shell needs to go through it (a proxy's DOCKER_HOST)."""


DockerOwnershipFactory = Callable[[Path, Path], DockerOwnership]
"""Called with a private folder (for a socket) and the record file, for a page using Docker."""


class EnvironmentLayer(Protocol):
    """Extra variables for the page's shell, computed when the page starts."""

    def __call__(self, workspace: Path, env: Mapping[str, str]) -> Mapping[str, str]:
        """Variables to add or override, given the workspace and the environment so far."""


class OutputFilter(Protocol):
    """Rewrites output text before anyone sees it (reporters, JSON, live echo, matching)."""

    def __call__(self, text: str) -> str:
        """The text to show instead; observations are filtered whole."""

    def held_back(self, text: str) -> int:
        """How many trailing characters of a live chunk must wait for the next one.

        Live echo hands over chunks as they arrive: a secret cut in two would pass a filter
        that sees each half alone, so the lifecycle keeps back what might be its start.
        """


class RawObserver(Protocol):
    """Sees every raw byte the page's shell writes to its terminal, unfiltered."""

    def __call__(self, chunk: bytes) -> None:
        """One chunk, as read from the terminal (escape sequences included)."""


class StepListener(Protocol):
    """Told about each verdict as soon as it is known (every guiderunner.report reporter is one)."""

    def step_finished(self, path: str, verdict: Verdict) -> None:
        """One step of page `path` has its verdict."""


StepStarted = Callable[[str, Step], None]
"""Called with the page's path and the step, just before the step runs."""


@dataclass(frozen=True, slots=True)
class Extensions:
    """What a caller plugs into a page's life; the defaults are today's behaviour."""

    docker: DockerOwnershipFactory | None = None
    """How the page's Docker objects are found; None: the per-page forwarding proxy."""
    environment: tuple[EnvironmentLayer, ...] = ()
    """Applied in order, after the reset environment and the settings' variables."""
    docker_environment: tuple[EnvironmentLayer, ...] = ()
    """Applied after those, for pages whose Docker is watched (the builder's client and
    variables); a page that never says `docker` runs without them when they cannot apply."""
    output_filters: tuple[OutputFilter, ...] = ()
    """Applied in order to every observation's output and to the live echo."""
    raw_observers: tuple[RawObserver, ...] = ()
    """Given the shell's raw bytes."""
    listeners: tuple[StepListener, ...] = ()
    """Given each verdict."""
    step_started: tuple[StepStarted, ...] = ()
    """Called before each step runs."""
