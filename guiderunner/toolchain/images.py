"""Local stand-ins for mcr.microsoft.com/dotnet/aspnet:10.0 and sdk:10.0, which cannot be pulled.

A Debian 12 root filesystem (debootstrap minbase, the .NET dependencies, user `app` 1654) is
imported once as a base image; the two stand-ins are built on it with the official images'
environment and this machine's .NET install. The official 10.0 images are Ubuntu 24.04: these
are Debian 12, which is fine because the build and runtime stages share the same base. A tag
without our stand-in label is a real image and is left alone; ours are rebuilt only when the
SDK version in their label differs from the host's.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from guiderunner.toolchain import nuget, packages, proc
from guiderunner.toolchain.errors import ToolchainError
from guiderunner.toolchain.settings import Settings

SDK_TAG = "mcr.microsoft.com/dotnet/sdk:10.0"
ASPNET_TAG = "mcr.microsoft.com/dotnet/aspnet:10.0"
TAGS = (ASPNET_TAG, SDK_TAG)
BASE_TAG = "stockkube/bookworm-base:local"
LABEL_STAND_IN = "io.stockkube.stand-in"
LABEL_SDK = "io.stockkube.dotnet-sdk-version"
LABEL_NUGET = "io.stockkube.nuget"
DESCRIPTION = "org.opencontainers.image.description"
BASE_PACKAGES = (
    "ca-certificates",
    "libc6",
    "libgcc-s1",
    "libicu72",
    "libssl3",
    "libstdc++6",
    "tzdata",
    "zlib1g",
)
APP_UID = 1654
SUITE = "bookworm"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
BUILD_TIMEOUT = 1800.0
PULL_TIMEOUT = 900.0  # the SDK image is large on a slow link; offline, the pull fails at once
RUNTIME_PARTS = ("dotnet", "host", "LICENSE.txt", "ThirdPartyNotices.txt")


@dataclass(frozen=True)
class Dotnet:
    """The host's .NET 10 install: what the stand-ins copy and which versions they claim."""

    root: Path
    sdk: str
    runtime: str
    aspnet: str

    @classmethod
    def find(cls, root: Path) -> Dotnet:
        """Read versions from folders: `dotnet --version` would follow a global.json."""
        sdk = _newest(root / "sdk")
        runtime = _newest(root / "shared" / "Microsoft.NETCore.App")
        aspnet = _newest(root / "shared" / "Microsoft.AspNetCore.App")
        if not (sdk and runtime and aspnet and (root / "dotnet").is_file()):
            raise ToolchainError(
                f"the .NET 10 SDK is missing: need {root}/sdk/10.*, shared/Microsoft.NETCore.App"
                "/10.* and shared/Microsoft.AspNetCore.App/10.* (install dotnet-sdk-10.0)"
            )
        return cls(root, sdk, runtime, aspnet)

    def framework_dirs(self) -> list[Path]:
        """The shared-framework folders that the runtime (aspnet) image carries."""
        shared = Path("shared")
        return [
            shared / "Microsoft.NETCore.App" / self.runtime,
            shared / "Microsoft.AspNetCore.App" / self.aspnet,
        ]


def _newest(folder: Path) -> str | None:
    """The highest 10.x version folder in `folder`."""
    if not folder.is_dir():
        return None
    names = [p.name for p in folder.iterdir() if p.is_dir() and p.name.startswith("10.")]
    return max(names, key=_version_key, default=None)


def _version_key(version: str) -> tuple[tuple[int, ...], bool, str]:
    """Sort key: numbers first, and a release above its previews."""
    release, _, pre = version.partition("-")
    return tuple(int(n) for n in re.findall(r"\d+", release)), not pre, pre


def labels(tag: str) -> dict[str, str] | None:
    """An image's labels, or None when the image does not exist."""
    result = proc.run(
        ["docker", "image", "inspect", "--format", "{{json .Config.Labels}}", tag],
        timeout=30,
        check=False,
    )
    if result.returncode != 0:
        return None
    return json.loads(result.stdout or "null") or {}


def state(tag: str, dotnet: Dotnet) -> str:
    """missing, official (not ours: keep), stale (other SDK version) or current."""
    found = labels(tag)
    if found is None:
        return "missing"
    if LABEL_STAND_IN not in found:
        return "official"
    return "current" if found.get(LABEL_SDK) == dotnet.sdk else "stale"


def ensure(settings: Settings) -> list[str]:
    """Pull the official images where a registry serves them; else build local stand-ins.

    The SDK on this machine is needed only for stand-ins: a laptop that can pull the real
    images needs no .NET at all.
    """
    pulled = [line for tag in TAGS if labels(tag) is None for line in _pull(tag)]
    found = [labels(tag) for tag in TAGS]
    if all(image is not None and LABEL_STAND_IN not in image for image in found):
        done = [*pulled, "images: the official .NET images are present"]
    else:
        done = [*pulled, *_ensure_stand_ins(settings, Dotnet.find(settings.dotnet_root))]
    return done


def _pull(tag: str) -> list[str]:
    """Try the real image once; a machine without that registry says no at once."""
    result = proc.run(["docker", "pull", "--quiet", tag], timeout=PULL_TIMEOUT, check=False)
    if result.returncode == 0:
        return [f"images: pulled {tag}"]
    return [f"images: {tag} cannot be pulled here; a local stand-in takes its place"]


def _ensure_stand_ins(settings: Settings, dotnet: Dotnet) -> list[str]:
    """Build whichever stand-in is missing or stale; an aspnet rebuild forces an sdk rebuild."""
    aspnet, sdk = state(ASPNET_TAG, dotnet), state(SDK_TAG, dotnet)
    if sdk == "current" and settings.nuget_mode not in ("auto", _nuget_mode()):
        sdk = "stale"
    rebuild_aspnet = aspnet in ("missing", "stale")
    rebuild_sdk = sdk in ("missing", "stale") or (rebuild_aspnet and sdk != "official")
    if not (rebuild_aspnet or rebuild_sdk):
        return [f"images: stand-ins current (SDK {dotnet.sdk}, NuGet {_nuget_mode()})"]
    done = [ensure_base(settings)]
    if rebuild_aspnet:
        done.append(build_aspnet(settings, dotnet))
    if rebuild_sdk:
        done += build_sdk(settings, dotnet)
    return done


def _nuget_mode() -> str:
    """How the current sdk image restores packages, from its label."""
    return (labels(SDK_TAG) or {}).get(LABEL_NUGET, "as the image has it")


def ensure_base(settings: Settings) -> str:
    """Import the Debian 12 root filesystem once; it is the parent of both stand-ins."""
    if labels(BASE_TAG) is not None:
        return f"base: {BASE_TAG} present"
    began = time.monotonic()
    installed = packages.ensure({"debootstrap": "debootstrap"}, settings)
    rootfs = _debootstrap(settings)
    _add_app_user(rootfs)
    _trim(rootfs)
    _import(rootfs, settings)
    fresh(rootfs, create=False)
    note = f" (installed {', '.join(installed)})" if installed else ""
    return f"base: debootstrapped and imported {BASE_TAG} in {time.monotonic() - began:.0f}s{note}"


def _debootstrap(settings: Settings) -> Path:
    """A minimal bookworm with the .NET dependencies, from the mirror apt uses here."""
    rootfs = settings.build_dir / "rootfs"
    fresh(rootfs)
    log = settings.logs / "debootstrap.log"
    log.write_text("")
    include = "--include=" + ",".join(BASE_PACKAGES)
    args = ["debootstrap", "--variant=minbase", include, SUITE, str(rootfs), debian_mirror()]
    proc.run(args, timeout=BUILD_TIMEOUT, log=log, env=proc.daemon_env())
    return rootfs


def _import(rootfs: Path, settings: Settings) -> None:
    """`docker import` the tree, with a PATH and bash as CMD like the Debian images."""
    tarball = settings.build_dir / "base.tar"
    tar = ["tar", "--numeric-owner", "--one-file-system", "-C", str(rootfs), "-cf", str(tarball)]
    proc.run([*tar, "."], timeout=600)
    changes = [f"ENV PATH={PATH}", 'CMD ["bash"]', f"LABEL {LABEL_STAND_IN}=true"]
    options = [part for change in changes for part in ("--change", change)]
    proc.run(["docker", "import", *options, str(tarball), BASE_TAG], timeout=600)
    tarball.unlink()


def _add_app_user(rootfs: Path) -> None:
    """The official images' non-root user: `app`, uid and gid 1654, home /home/app."""
    uid = str(APP_UID)
    proc.run(["chroot", str(rootfs), "groupadd", "--gid", uid, "app"], env=proc.daemon_env())
    proc.run(
        [
            "chroot",
            str(rootfs),
            "useradd",
            "--no-log-init",
            "--uid",
            uid,
            "--gid",
            uid,
            "--create-home",
            "app",
        ],
        env=proc.daemon_env(),
    )


def _trim(rootfs: Path) -> None:
    """Drop apt's package lists and downloaded .debs, as the official images do."""
    for pattern in ("var/lib/apt/lists/*", "var/cache/apt/*.bin", "var/cache/apt/archives/*.deb"):
        for path in rootfs.glob(pattern):
            if path.is_file():
                path.unlink()


def debian_mirror() -> str:
    """The Debian mirror that apt uses here (deb822 .sources first, then sources.list)."""
    for source in sorted(Path("/etc/apt/sources.list.d").glob("*.sources")):
        for stanza in source.read_text().split("\n\n"):
            fields = dict(_deb822_fields(stanza))
            if SUITE in fields.get("suites", "").split() and "uris" in fields:
                return fields["uris"].split()[0]
    sources_list = Path("/etc/apt/sources.list")
    if sources_list.is_file():
        pattern = re.compile(rf"^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+{SUITE}\s", re.MULTILINE)
        if match := pattern.search(sources_list.read_text()):
            return match.group(1)
    return DEFAULT_MIRROR


def _deb822_fields(stanza: str) -> list[tuple[str, str]]:
    """`Key: value` pairs of one deb822 stanza, keys lower-cased, comments skipped."""
    pairs = []
    for line in stanza.splitlines():
        key, sep, value = line.partition(":")
        if sep and not line.startswith(("#", " ")):
            pairs.append((key.strip().lower(), value.strip()))
    return pairs


def fresh(path: Path, create: bool = True) -> None:
    """Empty a scratch folder, unmounting first what a killed debootstrap may have left."""
    for mount in sorted(_mounts_under(path), key=lambda p: len(p.parts), reverse=True):
        proc.run(["umount", "-l", str(mount)], check=False)
    if path.exists() or path.is_symlink():
        proc.run(["rm", "-rf", "--one-file-system", str(path)], timeout=600)
    if create:
        path.mkdir(parents=True)


def _mounts_under(path: Path) -> list[Path]:
    """Mount points at or below `path`."""
    mounts = []
    for line in Path("/proc/mounts").read_text().splitlines():
        point = Path(line.split()[1].encode().decode("unicode_escape"))
        if point == path or path in point.parents:
            mounts.append(point)
    return mounts


def _link_copy(source: Path, target: Path) -> None:
    """Copy a file or tree as hard links (instant, no space); a plain copy across filesystems."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if proc.run(["cp", "-al", str(source), str(target)], check=False).returncode != 0:
        fresh(target, create=False)
        proc.run(["cp", "-a", str(source), str(target)], timeout=600)


def label_lines(pairs: dict[str, str]) -> list[str]:
    """LABEL instructions, values quoted as JSON strings (valid Dockerfile quoting)."""
    return [f"LABEL {key}={json.dumps(value)}" for key, value in pairs.items()]


def _stand_in_labels(tag: str, dotnet: Dotnet, version: str) -> dict[str, str]:
    """Labels that say plainly this is not Microsoft's image."""
    return {
        DESCRIPTION: f"local stand-in for {tag}: Debian 12 (bookworm) with the .NET install "
        "copied from this machine; not the official image",
        "org.opencontainers.image.version": version,
        LABEL_STAND_IN: "true",
        LABEL_SDK: dotnet.sdk,
    }


def build(tag: str, context: Path, lines: list[str], settings: Settings) -> None:
    """`docker build` a generated Dockerfile; the build output goes to a log in the cache."""
    (context / "Dockerfile").write_text("\n".join(lines) + "\n")
    log = settings.logs / f"build-{tag.rsplit('/', maxsplit=1)[-1].replace(':', '-')}.log"
    log.write_text("")
    replaced = image_id(tag)
    proc.run(
        ["docker", "build", "--force-rm", "-t", tag, str(context)], timeout=BUILD_TIMEOUT, log=log
    )
    if replaced and replaced != image_id(tag):
        # The old image is now untagged; it goes unless images built from it still need it.
        proc.run(["docker", "rmi", replaced], timeout=120, check=False)


def image_id(tag: str) -> str | None:
    """The id of the image a tag names, if any."""
    result = proc.run(
        ["docker", "image", "inspect", "--format", "{{.Id}}", tag], timeout=30, check=False
    )
    return result.stdout.strip() if result.returncode == 0 else None


def build_aspnet(settings: Settings, dotnet: Dotnet) -> str:
    """The runtime stand-in: host, fxr and the two shared frameworks, like the official one."""
    began = time.monotonic()
    context = settings.build_dir / "aspnet"
    fresh(context)
    for part in [Path(p) for p in RUNTIME_PARTS] + dotnet.framework_dirs():
        if (dotnet.root / part).exists():
            _link_copy(dotnet.root / part, context / "dotnet" / part)
    lines = [
        f"FROM {BASE_TAG}",
        f"ENV APP_UID={APP_UID} \\",
        "    ASPNETCORE_HTTP_PORTS=8080 \\",
        "    DOTNET_RUNNING_IN_CONTAINER=true \\",
        f"    DOTNET_VERSION={dotnet.runtime} \\",
        f"    ASPNET_VERSION={dotnet.aspnet}",
        "COPY dotnet/ /usr/share/dotnet/",
        "RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet",
        *label_lines(_stand_in_labels(ASPNET_TAG, dotnet, dotnet.aspnet)),
    ]
    build(ASPNET_TAG, context, lines, settings)
    fresh(context, create=False)
    return f"images: built {ASPNET_TAG} stand-in in {time.monotonic() - began:.0f}s"


def build_sdk(settings: Settings, dotnet: Dotnet) -> list[str]:
    """The SDK stand-in on top of aspnet; in auto mode, the network is tried before a local feed.

    A restore inside a container proves the network mode; a local feed needs no network.
    """
    modes = ["network", "local-feed"] if settings.nuget_mode == "auto" else [settings.nuget_mode]
    probe_log = settings.logs / "nuget-probe.log"
    notes: list[str] = []
    for mode in modes:
        began = time.monotonic()
        _build_sdk_with(mode, settings, dotnet)
        note = f"images: built {SDK_TAG} stand-in, NuGet {mode}, in {time.monotonic() - began:.0f}s"
        if mode == "local-feed" or nuget.probe(SDK_TAG, settings):
            return [*notes, note]
        notes.append(f"{note}, but a restore in a container failed ({probe_log})")
    raise ToolchainError(
        f"`dotnet restore` inside {SDK_TAG} cannot reach NuGet: {proc.log_tail(probe_log)} "
        "(RUNNER_NUGET=local-feed bakes a local feed instead)"
    )


def _build_sdk_with(mode: str, settings: Settings, dotnet: Dotnet) -> None:
    """Everything of the install that aspnet lacks, the SDK environment, and NuGet's setup."""
    context = settings.build_dir / "sdk"
    fresh(context)
    skip = {Path(p) for p in RUNTIME_PARTS} | set(dotnet.framework_dirs())
    for part in _sdk_parts(dotnet.root, skip):
        _link_copy(dotnet.root / part, context / "dotnet" / part)
    env = {
        "DOTNET_GENERATE_ASPNET_CERTIFICATE": "false",
        "DOTNET_NOLOGO": "true",
        "DOTNET_SDK_VERSION": dotnet.sdk,
        "DOTNET_USE_POLLING_FILE_WATCHER": "true",
        "NUGET_XMLDOC_MODE": "skip",
        "DOTNET_CLI_TELEMETRY_OPTOUT": "true",
        "DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE": "true",
        **nuget.environment(),
    }
    lines = [
        f"FROM {ASPNET_TAG}",
        "ENV " + " \\\n    ".join(f"{key}={json.dumps(value)}" for key, value in env.items()),
        "COPY dotnet/ /usr/share/dotnet/",
        "RUN dotnet help > /dev/null",
        *nuget.stage(mode, context, settings),
        *label_lines({**_stand_in_labels(SDK_TAG, dotnet, dotnet.sdk), LABEL_NUGET: mode}),
    ]
    build(SDK_TAG, context, lines, settings)
    fresh(context, create=False)


def _sdk_parts(root: Path, skip: set[Path]) -> list[Path]:
    """Relative paths covering the whole install minus `skip` (descending only where needed)."""
    parts: list[Path] = []
    pending = [Path(p.name) for p in root.iterdir()]
    while pending:
        part = pending.pop()
        if part in skip:
            continue
        if any(part in s.parents for s in skip):
            pending += [part / p.name for p in (root / part).iterdir()]
        else:
            parts.append(part)
    return sorted(parts)


def describe() -> list[str]:
    """Lines on the stand-ins and every other tagged image, for `status`."""
    lines = []
    for tag in (BASE_TAG, ASPNET_TAG, SDK_TAG):
        found = labels(tag)
        if found is None:
            lines.append(f"image: {tag} missing")
        elif tag == BASE_TAG:
            lines.append(f"image: {tag} (Debian 12 base of the stand-ins)")
        elif LABEL_STAND_IN in found:
            extra = f", NuGet {found[LABEL_NUGET]}" if LABEL_NUGET in found else ""
            lines.append(f"image: {tag} (local stand-in, SDK {found.get(LABEL_SDK, '-')}{extra})")
        else:
            lines.append(f"image: {tag} (not a stand-in)")
    listing = proc.run(
        ["docker", "images", "--format", "{{.Repository}}:{{.Tag}} {{.Size}}"], timeout=30
    ).stdout.split("\n")
    known = {BASE_TAG, ASPNET_TAG, SDK_TAG}
    lines += [
        f"image: {row}"
        for row in listing
        if row and row.split()[0] not in known and not row.startswith("<none>")
    ]
    return lines
