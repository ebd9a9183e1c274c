"""A page's fingerprint from a fake Docker client: versions, builder, base images and their .NET."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from guiderunner.parse import parse_guide
from guiderunner.plan import PlanSettings, plan_guide
from guiderunner.run.docker import builder
from guiderunner.run.docker.fingerprint import page_fingerprint

VERSION = {
    "Client": {"Version": "20.10.24+dfsg1", "Os": "linux", "Arch": "amd64"},
    "Server": {"Version": "20.10.24+dfsg1", "Os": "linux", "Arch": "arm64"},
}
IMAGES = {
    "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled": {
        "Id": "sha256:chiseled",
        "RepoDigests": [],
        "Config": {
            "Env": ["PATH=/bin"],
            "Labels": {"io.stockkube.stand-in": "true", "io.stockkube.parent": "sha256:aspnet"},
        },
    },
    "sha256:aspnet": {"Id": "sha256:aspnet", "Config": {"Env": ["DOTNET_VERSION=10.0.12"]}},
    "mcr.microsoft.com/dotnet/sdk:10.0": {
        "Id": "sha256:sdk",
        "RepoDigests": ["mcr.microsoft.com/dotnet/sdk@sha256:feed"],
        "Config": {"Env": ["ASPNET_VERSION=10.0.11", "DOTNET_SDK_VERSION=10.0.400"]},
    },
}
FAKE = """\
#!/usr/bin/env python3
import json, sys
args = sys.argv[1:]
if args == ["--version"]:
    print("Docker version 20.10.24+dfsg1, build fake")
elif args[:1] == ["version"]:
    print(json.dumps({version}))
elif args[:2] == ["image", "inspect"]:
    found = {images}.get(args[-1])
    if found is None:
        sys.exit("Error: No such image: " + args[-1])
    print(json.dumps(found))
else:
    sys.exit(1)
"""
PAGE = """# P

```dockerfile title="Dockerfile"
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
```

```console
$ docker run --rm gone:1
...
```
"""


@pytest.fixture
def environ(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setattr(builder, "_PROBED", {})
    script = tmp_path / "bin" / "docker"
    script.parent.mkdir()
    script.write_text(
        textwrap.dedent(FAKE).format(version=repr(VERSION), images=repr(IMAGES)), encoding="utf-8"
    )
    script.chmod(0o755)
    return {"PATH": f"{script.parent}:/usr/bin:/bin", "HOME": str(tmp_path)}


def plan_of(text: str, tmp_path: Path):
    return plan_guide(parse_guide("p.md", text), PlanSettings(30.0, 30.0, {}, tmp_path, {}))


def test_the_fingerprint_names_docker_the_builder_and_each_base_image(environ, tmp_path):
    found = page_fingerprint(plan_of(PAGE, tmp_path), None, "legacy", environ).as_json()
    assert json.loads(json.dumps(found)) == {
        "docker_client": "20.10.24+dfsg1",
        "docker_server": "20.10.24+dfsg1",
        "builder": "legacy",
        "os": "linux",
        "arch": "arm64",
        "images": [
            {
                "name": "mcr.microsoft.com/dotnet/sdk:10.0",
                "id": "sha256:sdk",
                "digest": "mcr.microsoft.com/dotnet/sdk@sha256:feed",
                "dotnet": "10.0.11",
                "stand_in": False,
            },
            {
                "name": "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled",
                "id": "sha256:chiseled",
                "digest": None,
                "dotnet": "10.0.12",  # from the stand-in it was built on
                "stand_in": True,
            },
            {"name": "gone:1", "id": None, "digest": None, "dotnet": None, "stand_in": False},
        ],
    }


def test_a_page_without_docker_has_no_docker_fingerprint(environ, tmp_path):
    plain = plan_of("# P\n\n```console\n$ echo hi\nhi\n```\n", tmp_path)
    assert page_fingerprint(plain, None, "buildkit", environ).builder is None
