"""The default Docker ownership of a page: a forwarding proxy that records what the page makes.

The page's docker clients reach the engine through a socket of the page's own
(guiderunner.run.docker.owned), which writes down each container, network, volume and image tag
that the engine creates for them; leaving it removes exactly those. Objects that existed
before, or that anyone else creates meanwhile, are never touched.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import TYPE_CHECKING

from guiderunner.errors import MissingPiece
from guiderunner.run.docker.on_demand import OnDemandOwnership
from guiderunner.run.seams import DockerOwnership as Ownership

if TYPE_CHECKING:
    from guiderunner.run.docker.owned import DockerOwnership


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


def OnDemandProxy(private: Path, record_path: Path) -> Ownership:  # noqa: N802 - a factory
    """The ownership of a page that does not say `docker`: the proxy starts at its first call.

    An engine the proxy could not forward to is exit 3 at once, as with ProxyOwnership.
    """
    return OnDemandOwnership(private, record_path, _take_over)


def _take_over(
    private: Path, record_path: Path, listener: socket.socket, client: socket.socket
) -> DockerOwnership:
    """Start the proxy on the page's listening socket and serve its first client."""
    from guiderunner.run.docker.owned import DockerOwnership

    owned = DockerOwnership(private, record_path, listener=listener)
    owned.__enter__()
    owned.adopt(client)
    return owned
