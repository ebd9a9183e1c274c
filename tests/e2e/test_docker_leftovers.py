"""A Docker page owns exactly what it makes (issue 9), with the real engine and both clients.

Each kind of object a page makes (container, network, named volume, image tag, a push to a
registry the page runs) is gone after the page, whether it passed, failed, got SIGTERM, or
got SIGKILL followed by `runner reset`; the images it tagged from stay; and objects anyone
else creates on the engine while the page runs are never touched.
"""

from __future__ import annotations

import signal
import subprocess
import time
import uuid
from collections.abc import Iterator

import pytest

from guiderunner.toolchain.extras import REGISTRY_TAG
from guiderunner.toolchain.images import BASE_TAG
from tests.e2e.test_verify import start_runner

pytestmark = [pytest.mark.docker, pytest.mark.own_engine, pytest.mark.timeout(300)]


def docker(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=120, check=False
    )


def exists(kind: str, name: str) -> bool:
    return docker(kind, "inspect", name).returncode == 0


@pytest.fixture
def engine() -> None:
    for image in (BASE_TAG, REGISTRY_TAG):
        if docker("image", "inspect", image).returncode != 0:
            pytest.skip(f"needs the toolchain's {image} (`runner toolchain up`)")


@pytest.fixture
def name() -> Iterator[str]:
    """A prefix of the test's own; whatever carries it is removed afterwards."""
    prefix = f"own-{uuid.uuid4().hex[:8]}"
    yield prefix
    for kind, listing in (
        ("container", ["ps", "-aq", "--filter", f"name={prefix}"]),
        ("network", ["network", "ls", "-q", "--filter", f"name={prefix}"]),
        ("volume", ["volume", "ls", "-q", "--filter", f"name={prefix}"]),
    ):
        ids = docker(*listing).stdout.split()
        if ids:
            docker(kind, "rm", "-f", *ids) if kind != "network" else docker(kind, "rm", *ids)
    for line in docker("image", "ls", "--format", "{{.Repository}}:{{.Tag}}").stdout.split():
        if prefix in line:
            docker("image", "rm", line)


def page_text(name: str, port: int, ending: str) -> str:
    """A page that makes one object of each kind, then ends as `ending` says."""
    last = {
        "pass": "$ echo done\ndone",
        "fail": "$ echo done\nsomething else",
        "wait": f"$ sleep 120{port}",
    }[ending]
    return f"""
```console
$ docker network create {name}-net > /dev/null
$ docker volume create {name}-vol > /dev/null
$ docker run -d --name {name}-box --network {name}-net -v {name}-vol:/data \\
>   {BASE_TAG} sleep 600 > /dev/null
$ docker tag {BASE_TAG} {name}-img:1
$ docker run -d --name {name}-reg -p 127.0.0.1:{port}:5000 {REGISTRY_TAG} > /dev/null
$ for i in $(seq 50); do curl -sf http://127.0.0.1:{port}/v2/ > /dev/null && break; sleep 0.2; done
$ docker tag {BASE_TAG} 127.0.0.1:{port}/{name}/app:1
$ docker push -q 127.0.0.1:{port}/{name}/app:1 > /dev/null
$ curl -s http://127.0.0.1:{port}/v2/_catalog
{{"repositories":["{name}/app"]}}
{last}
```
"""


def assert_nothing_left(name: str, port: int) -> None:
    assert not exists("container", f"{name}-box")
    assert not exists("container", f"{name}-reg")
    assert not exists("network", f"{name}-net")
    assert not exists("volume", f"{name}-vol")
    assert not exists("image", f"{name}-img:1")
    assert not exists("image", f"127.0.0.1:{port}/{name}/app:1")
    assert exists("image", BASE_TAG), "the image the page tagged from must stay"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("ending", ["pass", "fail"])
def test_what_a_page_makes_is_gone_after_it_and_outside_objects_stay(
    engine, page, runner, name, ending
):
    outside = f"{name}-outside"
    docker("network", "create", outside)
    docker("volume", "create", outside)
    docker("run", "-d", "--name", outside, BASE_TAG, "sleep", "600")
    port = free_port()
    done = runner("verify", "--no-cache", page(page_text(name, port, ending)))
    assert done.status == (0 if ending == "pass" else 1), done.out + done.err
    assert_nothing_left(name, port)
    for kind in ("container", "network", "volume"):
        assert exists(kind, outside)


@pytest.mark.parametrize("how", ["sigterm", "sigkill"])
def test_an_interrupted_page_leaves_nothing_and_objects_made_meanwhile_survive(
    engine, page, tmp_path, name, how
):
    port = free_port()
    path = page(page_text(name, port, "wait"))
    proc = start_runner(tmp_path, "verify", "--no-cache", str(path), waiting_for=f"sleep 120{port}")
    try:
        deadline = time.monotonic() + 120
        while not exists("container", f"{name}-reg") and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)  # the page is now in its last step
        meanwhile = f"{name}-meanwhile"  # someone else, in another terminal, right now
        docker("network", "create", meanwhile)
        docker("volume", "create", meanwhile)
        docker("run", "-d", "--name", meanwhile, BASE_TAG, "sleep", "600")
        if how == "sigterm":
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=120)
        else:
            proc.kill()  # no chance to clean up
            proc.wait()
            assert exists("container", f"{name}-box"), "SIGKILL leaves the page's objects"
            reset = start_runner(tmp_path, "reset")
            out, err = reset.communicate(timeout=180)
            assert reset.returncode == 0, err
            assert "removed container" in out, out
        assert_nothing_left(name, port)
        for kind in ("container", "network", "volume"):
            assert exists(kind, meanwhile)
    finally:
        proc.kill()


def test_a_page_that_retags_an_existing_tag_gives_it_back(engine, page, runner, name):
    mine = f"{name}-kept:1"
    docker("tag", BASE_TAG, mine)
    before = docker("image", "inspect", "--format", "{{.Id}}", mine).stdout
    dockerfile = f"FROM {BASE_TAG}\nRUN echo changed > /changed\n"
    text = f"""
```Dockerfile title="Dockerfile"
{dockerfile}```

```console
$ docker build -q -t {mine} . > /dev/null
$ docker run --rm {mine} cat /changed
changed
```
"""
    done = runner("verify", "--no-cache", "--builder", "legacy", page(text))
    assert done.status == 0, done.out + done.err
    assert docker("image", "inspect", "--format", "{{.Id}}", mine).stdout == before
