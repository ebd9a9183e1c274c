"""How `RUN dotnet restore` inside the sdk stand-in finds its packages.

Two ways, tried in this order by `up` (RUNNER_NUGET=network|local-feed forces one):

- network: the container reaches the NuGet copy itself. Here that needs the host's extra CA
  certificates (the copy's TLS chain ends in a CA only the host trusts) and the host's NuGet
  sources; both are baked into the image, with any proxy variables of the host.
- local-feed: the host restores the sample solution, and every .nupkg of its global packages
  folder is baked into the image as the only package source.
"""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from guiderunner.toolchain import proc
from guiderunner.toolchain.errors import ToolchainError
from guiderunner.toolchain.settings import Settings

NUGET_ORG = "https://api.nuget.org/v3/index.json"
FEED_IN_IMAGE = "/usr/local/share/nuget-feed"
CA_FOLDER = Path("/usr/local/share/ca-certificates")
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy")
PROBE_PACKAGE = ("Newtonsoft.Json", "13.0.4")
PROBE_TIMEOUT = 300.0


def host_sources() -> list[tuple[str, str]]:
    """The host's remote package sources (local folders would not exist in the image)."""
    config = Path.home() / ".nuget" / "NuGet" / "NuGet.Config"
    try:
        root = ET.parse(config).getroot()  # noqa: S314 - the host's own file
    except (OSError, ET.ParseError):
        return [("nuget.org", NUGET_ORG)]
    sources = [
        (item.get("key", ""), item.get("value", ""))
        for item in root.iterfind("./packageSources/add")
        if item.get("value", "").startswith(("https://", "http://"))
    ]
    return sources or [("nuget.org", NUGET_ORG)]


def config_xml(sources: list[tuple[str, str]]) -> str:
    """A NuGet.Config that lists exactly `sources` (<clear/> drops the implicit nuget.org)."""
    root = ET.Element("configuration")
    section = ET.SubElement(root, "packageSources")
    ET.SubElement(section, "clear")
    for key, value in sources:
        ET.SubElement(section, "add", key=key, value=value)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def environment() -> dict[str, str]:
    """Variables to bake: offline revocation checks (CRL hosts are unreachable), proxies."""
    env = {"NUGET_CERT_REVOCATION_MODE": os.environ.get("NUGET_CERT_REVOCATION_MODE", "offline")}
    env.update({name: os.environ[name] for name in PROXY_VARIABLES if os.environ.get(name)})
    return env


def stage(mode: str, context: Path, settings: Settings) -> list[str]:
    """Put the NuGet files for `mode` into the build context; returns the Dockerfile lines."""
    nuget = context / "nuget"
    nuget.mkdir()
    lines = []
    if mode == "network":
        sources = host_sources()
        lines += _stage_certificates(context)
    else:
        _stage_feed(context / "feed", settings)
        sources = [("local-feed", FEED_IN_IMAGE)]
        lines.append(f"COPY feed/ {FEED_IN_IMAGE}/")
    (nuget / "NuGet.Config").write_text(config_xml(sources))
    lines += [
        "COPY nuget/NuGet.Config /root/.nuget/NuGet/NuGet.Config",
        "RUN mkdir -p /home/app/.nuget/NuGet"
        " && cp /root/.nuget/NuGet/NuGet.Config /home/app/.nuget/NuGet/"
        " && chown -R app:app /home/app/.nuget",
    ]
    return lines


def _stage_certificates(context: Path) -> list[str]:
    """Copy the host's extra CA certificates, which the container needs to trust the copy."""
    certificates = sorted(CA_FOLDER.rglob("*.crt")) if CA_FOLDER.is_dir() else []
    if not certificates:
        return []
    target = context / "ca"
    target.mkdir()
    for certificate in certificates:
        shutil.copyfile(certificate, target / certificate.name)
    return ["COPY ca/ /usr/local/share/ca-certificates/", "RUN update-ca-certificates"]


def packages_folder() -> Path:
    """The host's global packages folder."""
    return Path(os.environ.get("NUGET_PACKAGES") or Path.home() / ".nuget" / "packages")


def _stage_feed(feed: Path, settings: Settings) -> None:
    """Restore the sample solution on the host, then copy every .nupkg into a flat feed."""
    if settings.solution is not None and settings.solution.is_file():
        _restore_on_host(settings)
    packages = sorted(packages_folder().glob("*/*/*.nupkg"))
    if not packages:
        raise ToolchainError(f"no .nupkg under {packages_folder()} for a local NuGet feed")
    feed.mkdir()
    for package in packages:
        shutil.copyfile(package, feed / package.name)


def _restore_on_host(settings: Settings) -> None:
    """Restore a scratch copy of the solution, so the repo gets no obj/ folders from us."""
    assert settings.solution is not None  # _stage_feed checks it
    copy = settings.build_dir / "host-restore"
    shutil.rmtree(copy, ignore_errors=True)
    ignore = shutil.ignore_patterns("bin", "obj", ".git", "TestResults")
    shutil.copytree(settings.solution.parent, copy, ignore=ignore)
    try:
        proc.run(
            ["dotnet", "restore", str(copy / settings.solution.name)],
            timeout=900,
            log=settings.logs / "host-restore.log",
        )
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def probe(image: str, settings: Settings) -> bool:
    """Whether `dotnet restore` inside `image` gets a package: the real test, not a ping."""
    folder = settings.build_dir / "nuget-probe"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    name, version = PROBE_PACKAGE
    (folder / "probe.csproj").write_text(
        '<Project Sdk="Microsoft.NET.Sdk">\n'
        "  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>\n"
        f'  <ItemGroup><PackageReference Include="{name}" Version="{version}" /></ItemGroup>\n'
        "</Project>\n"
    )
    result = proc.run(
        [
            "docker",
            "run",
            "--rm",
            "-v",
            f"{folder}:/probe",
            "-w",
            "/probe",
            image,
            "dotnet",
            "restore",
            "probe.csproj",
        ],
        timeout=PROBE_TIMEOUT,
        check=False,
        log=settings.logs / "nuget-probe.log",
    )
    shutil.rmtree(folder, ignore_errors=True)
    return result.returncode == 0
