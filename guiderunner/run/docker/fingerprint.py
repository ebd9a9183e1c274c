"""A page's environment fingerprint: the Docker it ran with, its builder, and its base images.

What the JSON report says per page (issue 10), and what the verify cache keys on, so that a
change of builder or of a base image runs the page again:

    {"docker_client": "20.10.24+dfsg1", "docker_server": "20.10.24+dfsg1",
     "builder": "buildkit", "os": "linux", "arch": "amd64",
     "images": [{"name": "mcr.microsoft.com/dotnet/aspnet:10.0", "id": "sha256:b4cb…",
                 "digest": null, "dotnet": "10.0.12", "stand_in": true}]}

The base images a page *used* (run.docker.images_used) are those named in the FROM lines (and
`COPY --from=`) of the Dockerfiles it writes or finds in the sample solution, and those its
`docker run` commands start, minus the images the page builds or tags itself. Each is looked
up in the engine when asked: an image the page pulls is known after the page has run.
A page without Docker has a fingerprint without any of it (`builder` None).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guiderunner.errors import MissingPiece
from guiderunner.model import Plan
from guiderunner.run.docker.builder import chosen_client
from guiderunner.settings import Builder

STAND_IN_LABEL = "io.stockkube.stand-in"
"""Set to "true" on the images `runner toolchain up` builds in place of Microsoft's."""
PARENT_LABEL = "io.stockkube.parent"
"""A stand-in built on another stand-in names it: its .NET version may be there."""
DOTNET_VARIABLES = ("DOTNET_VERSION", "ASPNET_VERSION")
"""What Microsoft's .NET images (and the stand-ins) say their runtime version is."""
TIMEOUT = 20.0


@dataclass(frozen=True, slots=True)
class BaseImage:
    """One base image a page used, as the engine has it."""

    name: str
    """As the page names it: `mcr.microsoft.com/dotnet/sdk:10.0`."""
    id: str | None
    """The engine's image id; None when the engine does not have it."""
    digest: str | None
    """The registry digest (`name@sha256:…`) it was pulled by; None for a local build."""
    dotnet: str | None
    """The .NET runtime inside it (DOTNET_VERSION, else ASPNET_VERSION), None for other images."""
    stand_in: bool
    """A local stand-in, labelled so by the toolchain, rather than the publisher's image."""


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Where a page ran."""

    docker_client: str | None = None
    """The version of the Docker client the page's shell used."""
    docker_server: str | None = None
    """The engine's version."""
    builder: Builder | None = None
    """The builder of its `docker build`; None for a page without Docker."""
    os: str | None = None
    """The engine's operating system (`linux`)."""
    arch: str | None = None
    """The engine's architecture (`amd64`)."""
    images: tuple[BaseImage, ...] = ()
    """The base images it used, in the order the page names them."""

    def as_json(self) -> dict[str, Any]:
        """The report's `fingerprint` object."""
        return {
            "docker_client": self.docker_client,
            "docker_server": self.docker_server,
            "builder": self.builder,
            "os": self.os,
            "arch": self.arch,
            "images": [
                {"name": i.name, "id": i.id, "digest": i.digest, "dotnet": i.dotnet,
                 "stand_in": i.stand_in}
                for i in self.images
            ],
        }  # fmt: skip


def page_fingerprint(
    plan: Plan, sample: Path | None, builder: Builder, environ: Mapping[str, str]
) -> Fingerprint:
    """The fingerprint of a page run with this builder, from this environment, now."""
    if not plan.uses_docker:
        return Fingerprint()
    from guiderunner.run.docker.images_used import images_used  # a Docker page's only

    try:
        docker = chosen_client(builder, environ).path
    except MissingPiece:
        return Fingerprint(builder=builder)
    version = _versions(docker, environ.get("DOCKER_HOST"), environ)
    client, server = version.get("Client") or {}, version.get("Server") or {}
    names = images_used(plan, sample)
    return Fingerprint(
        docker_client=_text(client.get("Version")),
        docker_server=_text(server.get("Version")),
        builder=builder,
        os=_text(server.get("Os") or client.get("Os")),
        arch=_text(server.get("Arch") or client.get("Arch")),
        images=tuple(base_image(docker, name, environ) for name in names),
    )


def base_image(docker: str, name: str, environ: Mapping[str, str]) -> BaseImage:
    """What the engine knows of one image: id, digest, .NET version, stand-in or not."""
    found = _inspect(docker, name, environ)
    if not found:
        return BaseImage(name, None, None, None, stand_in=False)
    config = found.get("Config") or {}
    labels = config.get("Labels") or {}
    dotnet = _dotnet(config.get("Env") or [])
    parent = labels.get(PARENT_LABEL)
    if dotnet is None and isinstance(parent, str) and parent:
        dotnet = _dotnet((_inspect(docker, parent, environ).get("Config") or {}).get("Env") or [])
    digests = found.get("RepoDigests") or []
    return BaseImage(
        name,
        _text(found.get("Id")),
        _digest_of(name, digests),
        dotnet,
        stand_in=str(labels.get(STAND_IN_LABEL, "")).lower() == "true",
    )


def _digest_of(name: str, digests: Sequence[str]) -> str | None:
    """The repo digest of the name's repository, else the first one, else None.

    >>> _digest_of("a/b:1", ["c/d@sha256:1", "a/b@sha256:2"]), _digest_of("x", [])
    ('a/b@sha256:2', None)
    """
    repository = name.split("@", maxsplit=1)[0]
    if ":" in repository.rsplit("/", 1)[-1]:
        repository = repository.rsplit(":", 1)[0]
    for digest in digests:
        if digest.split("@", maxsplit=1)[0] == repository:
            return digest
    return digests[0] if digests else None


def _dotnet(env: Sequence[str]) -> str | None:
    """The .NET runtime version an image's environment names.

    >>> _dotnet(["PATH=/bin", "ASPNET_VERSION=10.0.1"]), _dotnet(["PATH=/bin"])
    ('10.0.1', None)
    """
    variables = dict(item.partition("=")[::2] for item in env)
    return next((variables[v] for v in DOTNET_VARIABLES if variables.get(v)), None)


_VERSIONS: dict[tuple[str, str | None], dict[str, Any]] = {}
"""`docker version` per client and engine: the same for every page of a run."""


def _versions(docker: str, host: str | None, environ: Mapping[str, str]) -> dict[str, Any]:
    if (docker, host) not in _VERSIONS:
        _VERSIONS[docker, host] = _json(
            _run([docker, "version", "--format", "{{json .}}"], environ)
        )
    return _VERSIONS[docker, host]


def _inspect(docker: str, name: str, environ: Mapping[str, str]) -> dict[str, Any]:
    return _json(_run([docker, "image", "inspect", "--format", "{{json .}}", name], environ))


def _run(argv: list[str], environ: Mapping[str, str]) -> str:
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, env=dict(environ), timeout=TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout if done.returncode == 0 else ""


def _json(text: str) -> dict[str, Any]:
    try:
        loaded = json.loads(text)
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _text(value: object) -> str | None:
    return str(value) if value else None
