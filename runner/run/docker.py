"""Which Docker objects a page owns, and removing them: the default DockerOwnership provider.

Containers and networks are not children of the page's shell, so today's provider compares
the engine's lists with those taken when the page started. Two Docker pages at once would see
each other's objects: the provider is a seam (runner.run.seams) so a per-page forwarding proxy
that records the ids it creates can take its place.
"""

from __future__ import annotations

from collections.abc import Mapping

from runner.run.cleanup import docker, docker_objects
from runner.run.seams import DockerObjects


class DiffOwnership:
    """The objects that exist now and did not when the page started."""

    def __init__(self) -> None:
        self._before = docker_objects()

    def environment(self) -> Mapping[str, str]:
        """The page talks to the engine directly: nothing to add."""
        return {}

    def owned(self) -> DockerObjects:
        """Containers and networks created since the page started."""
        containers, networks = docker_objects()
        return DockerObjects(
            tuple(sorted(containers - self._before[0])), tuple(sorted(networks - self._before[1]))
        )

    def close(self) -> None:
        """Nothing to stop."""


def remove(objects: DockerObjects) -> list[str]:
    """Remove containers (with their anonymous volumes), then networks; one line per removal."""
    done = []
    if objects.containers and docker("rm", "-f", "-v", *objects.containers) is not None:
        done += [f"removed container {c[:12]}" for c in objects.containers]
    if objects.networks and docker("network", "rm", *objects.networks) is not None:
        done += [f"removed network {n[:12]}" for n in objects.networks]
    return done
