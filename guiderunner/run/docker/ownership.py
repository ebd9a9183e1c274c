"""The default Docker ownership of a page: a forwarding proxy that records what the page makes.

The page's docker clients reach the engine through a socket of the page's own
(guiderunner.run.docker.owned), which writes down each container, network, volume and image tag
that the engine creates for them; leaving it removes exactly those. Objects that existed
before, or that anyone else creates meanwhile, are never touched.
"""

from __future__ import annotations

from pathlib import Path

from guiderunner.errors import MissingPiece
from guiderunner.run.seams import DockerOwnership as Ownership


def ProxyOwnership(private: Path, record_path: Path) -> Ownership:  # noqa: N802 - a factory
    """The proxy for one page (a DockerOwnershipFactory); an engine it cannot reach is exit 3.

    Imported here, on the first Docker page: a page without Docker never loads the proxy.
    """
    from guiderunner.run.docker.api import EngineError
    from guiderunner.run.docker.owned import DockerOwnership

    try:
        return DockerOwnership(private, record_path)
    except EngineError as error:
        raise MissingPiece(f"cannot own the page's Docker objects: {error}") from None
