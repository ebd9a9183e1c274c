"""Runs that cannot collide (issue 20): the same page three times at once on one engine.

The page names its container, network, volume and tag and binds a fixed host port; the runs
start 1.5 s apart. Each claims those names and the port through its proxy, so a later run's
docker call waits until the earlier run has ended and removed its objects: all pass, nothing
is left, and no run removed another's objects.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from guiderunner.toolchain.extras import REGISTRY_TAG
from guiderunner.toolchain.images import BASE_TAG
from tests.e2e.test_docker_gaps import start
from tests.e2e.test_docker_leftovers import docker, engine, exists, free_port, name

pytestmark = [pytest.mark.docker, pytest.mark.own_engine, pytest.mark.timeout(300)]
__all__ = ["engine", "name"]  # fixtures


def named_page(name: str, port: int) -> str:
    return f"""
```console
$ docker network create {name}-net > /dev/null
$ docker volume create {name}-vol > /dev/null
$ docker tag {BASE_TAG} {name}-img:1
$ docker run -d --name {name}-web --network {name}-net -v {name}-vol:/var/lib/registry \\
>   -p 127.0.0.1:{port}:5000 {REGISTRY_TAG} > /dev/null
$ for i in $(seq 50); do curl -sf http://127.0.0.1:{port}/v2/ > /dev/null && break; sleep 0.2; done
$ curl -s http://127.0.0.1:{port}/v2/_catalog
{{"repositories":[]}}
$ sleep 1; docker image inspect --format ok {name}-img:1
ok
$ docker inspect --format '{{{{.State.Running}}}}' {name}-web
true
```
"""


@pytest.mark.parametrize("runs", [2, 3])
def test_runs_of_one_page_at_once_all_pass_and_leave_nothing(
    engine, page, name, tmp_path: Path, runs: int
):
    path = page(named_page(name, free_port()))
    procs = []
    for number in range(runs):
        procs.append(start(path, "verify", "--no-cache", state=tmp_path / f"state{number}"))
        time.sleep(1.5)
    outcomes = [proc.communicate(timeout=240) for proc in procs]
    for proc, (out, err) in zip(procs, outcomes, strict=True):
        assert proc.returncode == 0, out + err
        assert "warning" not in err, err
    for kind, what in (
        ("container", f"{name}-web"),
        ("network", f"{name}-net"),
        ("volume", f"{name}-vol"),
        ("image", f"{name}-img:1"),
    ):
        assert not exists(kind, what), f"{kind} {what} left behind"
    assert exists("image", BASE_TAG)


def test_a_port_held_outside_the_runner_is_named(engine, page, runner, name):
    port = free_port()
    holder = f"{name}-holder"
    docker("run", "-d", "--name", holder, "-p", f"127.0.0.1:{port}:5000", REGISTRY_TAG)
    try:
        text = f"""
```console
$ docker run -d --name {name}-web -p 127.0.0.1:{port}:5000 {REGISTRY_TAG} 2>&1 | tail -1
.*127.0.0.1:{port} failed: port is already allocated.* (re)
```
"""
        done = runner("verify", "--no-cache", page(text))
        assert done.status == 0, done.out
    finally:
        docker("rm", "-f", "-v", holder)  # the registry image declares a volume
    assert not exists("container", f"{name}-web")


def test_verify_j2_reports_in_page_order_and_fails_as_j1(engine, page, runner, name, tmp_path):
    slow = page(
        f"```console\n$ docker run --rm --name {name}-a {BASE_TAG} sh -c 'sleep 2; echo a'\n"
        "a\n```\n"
    )
    fast = page(f"```console\n$ docker run --rm --name {name}-b {BASE_TAG} echo b\nnot b\n```\n")
    third = page("```console\n$ echo c\nc\n```\n")
    report = tmp_path / "report.json"
    done = runner("verify", "--no-cache", "-j", "2", "--json", report, slow, fast, third)
    assert done.status == 1, done.out + done.err
    assert done.out.index(slow.name) < done.out.index(fast.name) < done.out.index(third.name)
    assert "2 passed, 1 failed" in done.out
    assert [p["path"] for p in json.loads(report.read_text())["pages"]] == [
        p.name for p in (slow, fast, third)
    ]
    assert not exists("container", f"{name}-a")


def test_waiting_for_another_runs_name_does_not_count_against_the_step(
    engine, page, name, tmp_path: Path
):
    """The second run's volume create waits ~8 s for the first run; its step timeout is 4 s."""
    holder = page(
        f"""
```console
$ docker volume create {name}-held > /dev/null
$ sleep 8
```
"""
    )
    waiter = page(f"```console\n$ docker volume create {name}-held\n{name}-held\n```\n")
    first = start(holder, "verify", "--no-cache", "--timeout", "30", state=tmp_path / "one")
    time.sleep(2)
    second = start(waiter, "verify", "--no-cache", "--timeout", "4", state=tmp_path / "two")
    out, err = second.communicate(timeout=120)
    first.communicate(timeout=120)
    assert second.returncode == 0, out + err
    assert not exists("volume", f"{name}-held")
