"""`runner reset` after `runner verify` was killed with SIGKILL: the page's containers and
networks go, with the real engine. The page's life records them (runner.run.lifecycle) after
every step, the same for verify as for step.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from runner.toolchain.images import BASE_TAG
from tests.e2e.test_verify import processes_with, start_runner

pytestmark = [pytest.mark.docker, pytest.mark.timeout(300)]


def docker(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=60, check=False
    )


def exists(kind: str, name: str) -> bool:
    return docker(kind, "inspect", name).returncode == 0


@pytest.fixture
def engine() -> None:
    if docker("image", "inspect", BASE_TAG).returncode != 0:
        pytest.skip(f"needs the toolchain's {BASE_TAG} (`runner toolchain up`)")


def recorded_containers(state: Path) -> list[str]:
    try:
        record = json.loads((state / "stockkube-runner" / "leftovers.json").read_text())
    except (OSError, ValueError):
        return []
    return [c for s in record.get("sessions", {}).values() for c in s.get("containers", [])]


def test_reset_removes_the_containers_and_networks_of_a_killed_verify(engine, page, tmp_path):
    name = f"runner-test-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    marker = f"sleep {os.getpid()}7"
    path = page(
        f"""
        ```console
        $ docker network create {name} > /dev/null
        $ docker run -d --name {name} --network {name} {BASE_TAG} sleep 600 > /dev/null
        $ {marker}
        ```
        """
    )
    proc = start_runner(tmp_path, "verify", "--no-cache", str(path), waiting_for=marker)
    try:
        state = Path(os.environ["XDG_STATE_HOME"])
        deadline = time.monotonic() + 30
        while not recorded_containers(state) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert processes_with(marker), "the page never reached its last step"
        proc.kill()  # no chance to clean up
        proc.wait()
        assert exists("container", name)
        assert exists("network", name)
        reset = start_runner(tmp_path, "reset")
        out, err = reset.communicate(timeout=120)
        assert reset.returncode == 0, err
        assert "removed container" in out
        assert "removed network" in out
        assert not exists("container", name)
        assert not exists("network", name)
        assert not processes_with(marker)
    finally:
        proc.kill()
        docker("rm", "-f", "-v", name)
        docker("network", "rm", name)
