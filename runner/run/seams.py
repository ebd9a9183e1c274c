"""The page lifecycle's extension points, in one place: small protocols a feature plugs into.

runner.run.lifecycle.PageRun calls each of them at one moment of a page's life:

- `DockerOwnership` (made by a `DockerOwnershipFactory` when the page starts, only for pages
  that use Docker): which containers and networks belong to the page. PageRun records them
  after every step for `runner reset` and removes them when the page ends.
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
from typing import Protocol

from runner.model import Step, Verdict


@dataclass(frozen=True, slots=True)
class DockerObjects:
    """Docker containers and networks, by full id."""

    containers: tuple[str, ...] = ()
    """Container ids."""
    networks: tuple[str, ...] = ()
    """Network ids."""


class DockerOwnership(Protocol):
    """Knows which Docker objects one page created (today: a before/after diff)."""

    def environment(self) -> Mapping[str, str]:
        """Variables the page's shell needs to go through it (a proxy's DOCKER_HOST), or none."""

    def owned(self) -> DockerObjects:
        """The containers and networks the page has created so far."""

    def close(self) -> None:
        """Stop watching (a proxy stops); called after the page's objects are removed."""


DockerOwnershipFactory = Callable[[], DockerOwnership]
"""Called once when a page that uses Docker starts, before its shell."""


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
    """Told about each verdict as soon as it is known (every runner.report reporter is one)."""

    def step_finished(self, path: str, verdict: Verdict) -> None:
        """One step of page `path` has its verdict."""


StepStarted = Callable[[str, Step], None]
"""Called with the page's path and the step, just before the step runs."""


@dataclass(frozen=True, slots=True)
class Extensions:
    """What a caller plugs into a page's life; the defaults are today's behaviour."""

    docker: DockerOwnershipFactory | None = None
    """How the page's Docker objects are found; None: the before/after diff."""
    environment: tuple[EnvironmentLayer, ...] = ()
    """Applied in order, after the reset environment and the settings' variables."""
    output_filters: tuple[OutputFilter, ...] = ()
    """Applied in order to every observation's output and to the live echo."""
    raw_observers: tuple[RawObserver, ...] = ()
    """Given the shell's raw bytes."""
    listeners: tuple[StepListener, ...] = ()
    """Given each verdict."""
    step_started: tuple[StepStarted, ...] = ()
    """Called before each step runs."""
