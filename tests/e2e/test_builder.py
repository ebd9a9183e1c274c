"""A page's `docker build` really uses the chosen builder, with the real engine and clients.

Under BuildKit the page's shell has `DOCKER_BUILDKIT=1` and a client that can use it first on
its PATH (here Debian's 20.10, behind the newer client without buildx), `RUN --mount` works,
and the image's history carries BuildKit's `# buildkit` mark. Under the legacy builder the
history has no such mark. The JSON report's fingerprint says which builder ran, and names the
base image with its id, as the engine has it.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest

from guiderunner.run.docker.builder import chosen_client
from guiderunner.settings import Builder
from guiderunner.toolchain.images import BASE_TAG

pytestmark = [pytest.mark.docker, pytest.mark.timeout(300)]

RUN_LINE = {
    "buildkit": "RUN --mount=type=cache,target=/cache echo built > /built.txt",
    "legacy": "RUN echo built > /built.txt",
}
"""`RUN --mount` exists only under BuildKit: the legacy builder refuses it."""

PAGE = """# Build

```dockerfile title="Dockerfile"
FROM {base}
{run}
```

```console
$ echo "$DOCKER_BUILDKIT"
{variable}
$ readlink -f "$(command -v docker)"
{client}
$ docker build -q -t {tag} .
...
sha256:[0-9a-f]{{64}} (re)
$ docker history --no-trunc --format '{{{{.CreatedBy}}}}' {tag} | head -n 1 > history.txt
$ grep -c '# buildkit' history.txt || true
{marks}
$ docker image inspect --format '{{{{.Id}}}}' {tag}
sha256:[0-9a-f]{{64}} (re)
```
"""


def docker(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def engine() -> None:
    if docker("image", "inspect", BASE_TAG).returncode != 0:
        pytest.skip(f"needs the toolchain's {BASE_TAG} (`runner toolchain up`)")


@pytest.fixture
def tag():
    """An image name of the test's own, removed afterwards (with nothing else)."""
    name = f"stockkube-builder-test:{uuid.uuid4().hex[:10]}"
    yield name
    docker("image", "rm", "--force", name)


def page_for(builder: Builder, tag: str) -> str:
    client = Path(chosen_client(builder, os.environ).path).resolve()
    return PAGE.format(
        base=BASE_TAG,
        run=RUN_LINE[builder],
        variable="1" if builder == "buildkit" else "0",
        client=client,
        tag=tag,
        marks="1" if builder == "buildkit" else "0",
    )


@pytest.mark.parametrize("builder", ["buildkit", "legacy"])
def test_a_page_builds_with_the_chosen_builder(engine, page, runner, tag, tmp_path, builder):
    text = page_for(builder, tag)
    report = tmp_path / "report.json"
    done = runner("verify", "--no-cache", "--builder", builder, "--json", report, page(text))
    assert done.status == 0, done.out + done.err
    # The page inspected its image itself; once it ends, its tag is gone (it owned it).
    assert docker("image", "inspect", tag).returncode != 0
    fingerprint = json.loads(report.read_text(encoding="utf-8"))["pages"][0]["fingerprint"]
    assert fingerprint["builder"] == builder
    assert (
        fingerprint["docker_server"]
        == docker("version", "--format", "{{.Server.Version}}").stdout.strip()
    )
    assert fingerprint["os"] == "linux"
    assert fingerprint["arch"]
    base = docker("image", "inspect", "--format", "{{.Id}}", BASE_TAG).stdout.strip()
    assert fingerprint["images"] == [
        {"name": BASE_TAG, "id": base, "digest": None, "dotnet": None, "stand_in": True}
    ]


def test_the_buildkit_only_dockerfile_fails_under_the_legacy_builder(engine, page, runner, tag):
    text = page_for("buildkit", tag)
    done = runner("verify", "--no-cache", "--keep-going", "--builder", "legacy", page(text))
    assert done.status == 1
    assert "the --mount option requires BuildKit" in done.out
    assert docker("image", "inspect", tag).returncode != 0
