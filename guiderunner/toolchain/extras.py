"""Stand-ins for the two other images the chapter names: `registry:2` and a chiseled runtime.

Neither can be pulled here. `registry:2` (Docker's open-source registry, Distribution) is
rebuilt from the binary of Debian's `docker-registry` package, with the same port, storage
folder and config path as the official image, so a page can run its own registry as a
container. `aspnet:10.0-noble-chiseled` is rebuilt from the aspnet stand-in: the same .NET
files on a tree without a shell, a package manager, ICU or time zone data, running as `app`.
Both carry the stand-in label; a tag without it is a real image and is left alone.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from guiderunner.toolchain import images, packages, proc, registry
from guiderunner.toolchain.settings import Settings

REGISTRY_TAG = "registry:2"
CHISELED_TAG = "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled"
TAGS = (REGISTRY_TAG, CHISELED_TAG)
LABEL_PARENT = "io.stockkube.parent"
REGISTRY_CONFIG = registry.distribution_config("/var/lib/registry", ":5000")
"""The official image's config path, port and storage folder."""
# Copied from the aspnet stand-in into the chiseled tree: libraries, .NET, certificates, users.
CHISELED_KEEP = (
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/usr/lib64",
    "/lib",
    "/lib64",
    "/usr/share/dotnet",
    "/etc/ssl",
    "/etc/passwd",
    "/etc/group",
)


def ensure(settings: Settings) -> list[str]:
    """Pull each image where a registry serves it; otherwise build (or keep) its stand-in."""
    done = []
    for tag in TAGS:
        found = images.labels(tag)
        if found is not None and images.LABEL_STAND_IN not in found:
            done.append(f"images: {tag} is the real image (left alone)")
            continue
        if found is None and _pulled(tag):
            done.append(f"images: pulled {tag}")
            continue
        parent = _parent(tag)
        if found is not None and found.get(LABEL_PARENT) == images.image_id(parent):
            done.append(f"images: {tag} stand-in current")
            continue
        done.append(_build(tag, settings))
    return done


def _pulled(tag: str) -> bool:
    """One quiet try at the real image; offline it fails at once."""
    result = proc.run(["docker", "pull", "--quiet", tag], timeout=images.PULL_TIMEOUT, check=False)
    return result.returncode == 0


def _parent(tag: str) -> str:
    """The local image a stand-in is built on: a rebuild follows any change of it."""
    return images.BASE_TAG if tag == REGISTRY_TAG else images.ASPNET_TAG


def _build(tag: str, settings: Settings) -> str:
    """Build one stand-in in a scratch context under the cache."""
    began = time.monotonic()
    context = settings.build_dir / tag.rsplit("/", maxsplit=1)[-1].replace(":", "-")
    images.fresh(context)
    parent_id = images.image_id(_parent(tag)) or ""
    lines = _registry_lines(context, settings) if tag == REGISTRY_TAG else _chiseled_lines(context)
    labels = {
        images.DESCRIPTION: f"local stand-in for {tag}, built from local packages; "
        "not the official image",
        images.LABEL_STAND_IN: "true",
        LABEL_PARENT: parent_id,
    }
    images.build(tag, context, [*lines, *images.label_lines(labels)], settings)
    images.fresh(context, create=False)
    return f"images: built {tag} stand-in in {time.monotonic() - began:.0f}s"


def _registry_lines(context: Path, settings: Settings) -> list[str]:
    """Debian's registry binary on the Debian base, laid out like the official image."""
    packages.ensure({"docker-registry": "docker-registry"}, settings)
    binary = shutil.which("docker-registry") or "/usr/bin/docker-registry"
    shutil.copyfile(binary, context / "registry")
    (context / "config.yml").write_text(REGISTRY_CONFIG)
    return [
        f"FROM {images.BASE_TAG}",
        "COPY registry /bin/registry",
        "COPY config.yml /etc/docker/registry/config.yml",
        "RUN chmod 755 /bin/registry && mkdir -p /var/lib/registry",
        "VOLUME /var/lib/registry",
        "EXPOSE 5000",
        'ENTRYPOINT ["/bin/registry"]',
        'CMD ["serve", "/etc/docker/registry/config.yml"]',
    ]


def _chiseled_lines(context: Path) -> list[str]:
    """A shell-less tree cut from the aspnet stand-in, non-root, invariant globalization.

    The tree is cut in a throw-away container and added as a tarball to a `scratch` image,
    so no intermediate stage image is left behind.
    """
    keep = " ".join(CHISELED_KEEP)
    cut = (
        "mkdir /chiseled && for p in " + keep + "; do "
        '[ -e "$p" ] && cp -a --parents "$p" /chiseled/; done; '
        "rm -rf /chiseled/usr/lib/*-linux-gnu/libicu* /chiseled/usr/lib/*-linux-gnu/perl* "
        "/chiseled/usr/lib/*-linux-gnu/gconv && mkdir -p /chiseled/usr/bin /chiseled/tmp "
        "&& chmod 1777 /chiseled/tmp && ln -s /usr/share/dotnet/dotnet /chiseled/usr/bin/dotnet "
        "&& tar --numeric-owner -C /chiseled -cf /out/chiseled.tar ."
    )
    mount = f"{context}:/out"
    args = ["docker", "run", "--rm", "--user", "0", "-v", mount, images.ASPNET_TAG]
    proc.run([*args, "sh", "-c", cut], timeout=600)
    return [
        "FROM scratch",
        "ADD chiseled.tar /",
        f"ENV APP_UID={images.APP_UID} \\",
        "    ASPNETCORE_HTTP_PORTS=8080 \\",
        "    DOTNET_RUNNING_IN_CONTAINER=true \\",
        "    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true \\",
        f"    PATH={images.PATH}",
        f"USER {images.APP_UID}",
    ]


def describe() -> list[str]:
    """One line per image, for `status`."""
    lines = []
    for tag in TAGS:
        found = images.labels(tag)
        if found is None:
            lines.append(f"image: {tag} missing")
        else:
            kind = "local stand-in" if images.LABEL_STAND_IN in found else "not a stand-in"
            lines.append(f"image: {tag} ({kind})")
    return lines
