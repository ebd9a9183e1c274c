"""Ownership without gaps (issue 20), with the real engine.

Images made by load, import, commit and pull -a are gone after the page; a volume re-created by
someone else under the page's volume name stays; a removal that fails is named in a warning and
retried by `runner reset`; a page's prunes reach only its own objects, the build cache's prune
is refused, and the user's own labelled objects survive all of it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from guiderunner.toolchain.extras import REGISTRY_TAG
from guiderunner.toolchain.images import BASE_TAG
from tests.e2e.test_docker_leftovers import docker, engine, exists, free_port, name
from tests.e2e.test_verify import ROOT

pytestmark = [pytest.mark.docker, pytest.mark.timeout(300)]
__all__ = ["engine", "name"]  # fixtures


def tiny_tar(folder: Path) -> Path:
    """A one-file root filesystem for `docker import`: a tiny image of the test's own."""
    (folder / "root").mkdir()
    (folder / "root" / "hello").write_text("hi\n")
    tar = folder / "tiny.tar"
    subprocess.run(["tar", "-cf", str(tar), "-C", str(folder / "root"), "."], check=True)
    return tar


def images_named(prefix: str) -> list[str]:
    listing = docker("image", "ls", "--format", "{{.Repository}}:{{.Tag}}").stdout.split()
    return [line for line in listing if prefix in line]


def test_load_import_commit_and_pull_all_leave_nothing(engine, page, runner, name, tmp_path):
    tar, ids, port = tiny_tar(tmp_path), tmp_path / "ids.txt", free_port()
    repo = f"127.0.0.1:{port}/{name}/tiny"
    text = f"""
```console
$ docker import {tar} >> {ids}
$ docker import {tar} {name}-imp:1 > /dev/null
$ docker save {name}-imp:1 -o saved.tar && docker rmi -f {name}-imp:1 > /dev/null
$ docker load -i saved.tar
Loaded image: {name}-imp:1
$ docker run --name {name}-c {BASE_TAG} true && docker commit {name}-c >> {ids}
$ docker commit {name}-c {name}-com:1 > /dev/null
$ docker run -d --name {name}-reg -p 127.0.0.1:{port}:5000 {REGISTRY_TAG} > /dev/null
$ for i in $(seq 50); do curl -sf http://127.0.0.1:{port}/v2/ > /dev/null && break; sleep 0.2; done
$ for t in a b; do docker tag {name}-imp:1 {repo}:$t; docker push -q {repo}:$t; done > /dev/null
$ docker rmi {repo}:a {repo}:b > /dev/null
$ docker pull -q -a {repo} > /dev/null && docker image ls --format '{{{{.Tag}}}}' {repo} | sort
a
b
```
"""
    done = runner("verify", "--no-cache", page(text))
    assert done.status == 0, done.out + done.err
    assert images_named(name) == []
    made = ids.read_text().split()
    assert len(made) == 2
    for image in made:
        assert not exists("image", image), f"untagged image {image} left behind"


def start(path: Path, *args: str, state: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_STATE_HOME": str(state)}
    return subprocess.Popen(
        [sys.executable, "-m", "guiderunner", *args, str(path)],
        cwd=path.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def wait_for(flag: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not flag.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the page never reached its signal"
        time.sleep(0.1)


def test_a_volume_made_again_by_someone_else_under_the_pages_name_stays(
    engine, page, name, tmp_path
):
    ready, go = tmp_path / "ready", tmp_path / "go"
    text = f"""
```console
$ docker volume create {name}-a > /dev/null && docker volume rm {name}-a > /dev/null
$ docker run --rm -v {name}-b:/d {BASE_TAG} true && docker volume rm {name}-b > /dev/null
$ touch {ready}; while [ ! -e {go} ]; do sleep 0.1; done
```
"""
    proc = start(page(text), "verify", "--no-cache", state=tmp_path / "state")
    try:
        wait_for(ready, proc)
        for volume in (f"{name}-a", f"{name}-b"):
            assert docker("volume", "create", "--label", "user=1", volume).returncode == 0
        go.touch()
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, out + err
        for volume in (f"{name}-a", f"{name}-b"):
            assert exists("volume", volume), f"the user's {volume} was deleted"
    finally:
        proc.kill()
        docker("volume", "rm", f"{name}-a", f"{name}-b")


def test_a_removal_that_fails_is_named_and_runner_reset_retries_it(engine, page, name, tmp_path):
    ready, go, state = tmp_path / "ready", tmp_path / "go", tmp_path / "state"
    text = f"""
```console
$ docker network create {name}-net > /dev/null
$ touch {ready}; while [ ! -e {go} ]; do sleep 0.1; done
```
"""
    proc = start(page(text), "verify", "--no-cache", state=state)
    outside = f"{name}-outside"
    try:
        wait_for(ready, proc)
        docker("run", "-d", "--name", outside, "--network", f"{name}-net", BASE_TAG, "sleep", "600")
        go.touch()
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, out + err
        warning = [line for line in err.splitlines() if "warning: could not remove network" in line]
        assert warning, err
        assert f"{name}-net" in warning[0]
        assert "runner reset" in warning[0]
        assert exists("network", f"{name}-net")
        docker("rm", "-f", outside)
        reset = subprocess.run(
            [sys.executable, "-m", "guiderunner", "reset"],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": str(ROOT), "XDG_STATE_HOME": str(state)},
            check=False,
        )
        assert "removed network" in reset.stdout, reset.stdout + reset.stderr
        assert not exists("network", f"{name}-net")
        assert not list((state / "stockkube-runner").glob("docker-*.jsonl"))
    finally:
        proc.kill()
        docker("rm", "-f", outside)
        docker("network", "rm", f"{name}-net")


@pytest.fixture
def users_objects(name: str, tmp_path: Path):
    """A labelled container, network, volume, image and legacy build cache of 'the user'."""
    user = f"{name}-user"
    docker("network", "create", "--label", "user=1", user)
    docker("volume", "create", "--label", "user=1", user)
    docker("create", "--label", "user=1", "--name", user, BASE_TAG, "true")
    docker("tag", BASE_TAG, f"{user}:1")
    (tmp_path / "ctx").mkdir()
    (tmp_path / "ctx" / "Dockerfile").write_text(f"FROM {BASE_TAG}\nRUN echo {name} > /f\n")
    built = subprocess.run(
        ["docker", "build", "-q", "-t", f"{user}:built", str(tmp_path / "ctx")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DOCKER_BUILDKIT": "0"},
    )
    assert built.returncode == 0, built.stderr
    yield user
    docker("rm", "-f", user)
    docker("network", "rm", user)
    docker("volume", "rm", user)
    docker("image", "rm", f"{user}:1", f"{user}:built")


def test_prunes_reach_only_the_pages_objects_and_the_build_cache_prune_is_refused(
    engine, page, runner, name, users_objects
):
    text = f"""
```console
$ docker create --name {name}-mine {BASE_TAG} true > /dev/null
$ docker volume create {name}-mine > /dev/null && docker network create {name}-mine > /dev/null
$ docker container prune -f > /dev/null && docker ps -aq --filter name={name}-mine | wc -l
0
$ docker volume prune -f > /dev/null && docker volume ls -q --filter name={name}-mine | wc -l
0
$ docker network prune -f > /dev/null && docker network ls -q --filter name={name}-mine | wc -l
0
$ docker image prune -af > /dev/null; docker image prune -f > /dev/null; echo pruned
pruned
$ docker builder prune -af 2>&1; echo "status $?"
Error response from daemon: runner: a page may not prune the build cache... (re)
status 1
$ docker system prune -af --volumes > /dev/null 2>&1; echo $?
1
```
"""
    text = text.replace("cache... (re)", "cache.* (re)")
    done = runner("verify", "--no-cache", page(text))
    assert done.status == 0, done.out + done.err
    user = users_objects
    for kind in ("container", "network", "volume"):
        assert exists(kind, user), f"the user's {kind} was pruned"
    for tag in (f"{user}:1", f"{user}:built", BASE_TAG):
        assert exists("image", tag), f"the user's image {tag} was pruned"


@pytest.mark.parametrize("builder", ["legacy", "buildkit"])
def test_a_build_leaves_no_untagged_image(engine, page, runner, name, builder):
    """A build without -t leaves its image untagged: the page made it, the page removes it."""
    before = all_image_ids(name)
    text = f"""
```dockerfile title="Dockerfile"
FROM {BASE_TAG}
LABEL made-by={name}
RUN echo {name} second > /second
```

```console
$ docker build -t {name}:1 . > /dev/null 2>&1 && echo built
built
$ sed -i 's/second/{builder}/' Dockerfile && docker build . > /dev/null 2>&1 && echo untagged
untagged
```
"""
    done = runner("verify", "--no-cache", "--builder", builder, page(text))
    assert done.status == 0, done.out
    assert all_image_ids(name) - before == set()
    assert not exists("image", f"{name}:1")


def all_image_ids(name: str) -> set[str]:
    """Every image on the engine with layers of the test's own (its label): other tests may
    build beside it, and their images are not this page's."""
    listed = docker("images", "-a", "-q", "--no-trunc", "--filter", f"label=made-by={name}")
    return set(listed.stdout.split())


MULTI_STAGE = """
```dockerfile title="Dockerfile"
FROM {base} AS build
LABEL made-by={name}
RUN echo {name} {stamp} > /made
RUN cp /made /made.2
FROM build AS test
RUN cat /made.2
FROM {base}
LABEL made-by={name}
COPY --from=build /made.2 /made
```
"""


def test_a_legacy_multi_stage_build_leaves_none_of_its_layers(engine, page, runner, name):
    """The legacy builder makes an image per step; once the page's tag is gone, its stages'
    layers must go too (each new one is the page's), not stay behind as dangling images."""
    before = all_image_ids(name)
    stamp = time.time_ns()  # layers no earlier run has: all of them are this page's
    text = MULTI_STAGE.format(base=BASE_TAG, name=name, stamp=stamp) + (
        f"\n```console\n$ docker build -t {name}:1 . > /dev/null 2>&1 && echo built\nbuilt\n"
        f"$ docker build --target test -t {name}:test . > /dev/null 2>&1 && echo test\ntest\n"
        "```\n"
    )
    done = runner("verify", "--no-cache", "--builder", "legacy", page(text))
    assert done.status == 0, done.out
    left = all_image_ids(name) - before
    assert left == set(), f"{len(left)} images of the page's build stayed"


def test_the_users_own_legacy_build_cache_outlives_a_page_that_reuses_it(
    engine, page, runner, name, tmp_path
):
    """Layers that existed before the page (the user's cache) are not the page's to remove,
    even when the page's build reuses them and its own layers are built on top."""
    stamp = time.time_ns()
    dockerfile = MULTI_STAGE.format(base=BASE_TAG, name=name, stamp=stamp)
    body = dockerfile.split('```dockerfile title="Dockerfile"\n')[1].split("```")[0]
    (tmp_path / "user").mkdir()
    (tmp_path / "user" / "Dockerfile").write_text(body)
    env = {**os.environ, "DOCKER_BUILDKIT": "0"}
    built = subprocess.run(
        ["docker", "build", "-q", "--target", "build", "-t", f"{name}-user:1", "."],
        cwd=tmp_path / "user",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    try:
        before = all_image_ids(name)
        text = dockerfile + (
            f"\n```console\n$ docker build -t {name}:1 . > /dev/null 2>&1 && echo built\n"
            "built\n```\n"
        )
        done = runner("verify", "--no-cache", "--builder", "legacy", page(text))
        assert done.status == 0, done.out
        after = all_image_ids(name)
        assert before - after == set(), "the user's cached layers were removed"
        assert after - before == set(), "the page's own layers stayed"
    finally:
        docker("rmi", f"{name}-user:1")
