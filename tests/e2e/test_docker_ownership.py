"""Exact Docker ownership against the real engine and both real docker clients.

Run under the shared lock:
`flock /tmp/stockkube-docker.lock pytest tests/e2e/test_docker_ownership.py`.
Every object is named with a random suffix; whatever a test makes is removed in `finally`.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.request import Request, urlopen

import pexpect
import pytest

from guiderunner.run.docker.owned import DockerOwnership, remove_recorded
from guiderunner.run.docker.record import read_record

pytestmark = [pytest.mark.docker, pytest.mark.timeout(300)]

ROOT = Path(__file__).resolve().parents[2]
ASPNET = "mcr.microsoft.com/dotnet/aspnet:10.0"
NEW_CLIENT = "/usr/local/bin/docker"  # legacy builder only
DEBIAN_CLIENT = "/usr/bin/docker"  # BuildKit with DOCKER_BUILDKIT=1
KINDS = ("container", "network", "volume", "image")


def docker(*args: str, env: dict[str, str] | None = None, exe: str = NEW_CLIENT) -> str:
    done = subprocess.run(
        [exe, *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, f"docker {' '.join(args)}: {done.stderr}"
    return done.stdout.strip()


def exists(kind: str, name: str) -> bool:
    done = subprocess.run(
        [NEW_CLIENT, kind, "inspect", name], capture_output=True, timeout=60, check=False
    )
    return done.returncode == 0


def image_id(ref: str) -> str:
    return docker("image", "inspect", "--format", "{{.Id}}", ref)


@pytest.fixture(scope="module", autouse=True)
def _engine() -> None:
    done = subprocess.run([NEW_CLIENT, "info"], capture_output=True, timeout=30, check=False)
    if done.returncode != 0 or not exists("image", ASPNET):
        pytest.skip("the Docker toolchain is not up (`runner toolchain up`)")


@dataclass
class Objects:
    """Names of objects a test made directly on the real socket, removed at its end."""

    suffix: str = field(default_factory=lambda: secrets.token_hex(4))
    made: list[tuple[str, str]] = field(default_factory=list)

    def name(self, what: str) -> str:
        return f"sk-own-{what}-{self.suffix}"

    def make(self, kind: str, name: str, *create: str) -> str:
        self.made.append((kind, name))
        docker(*create)
        return name

    def outside_set(self, what: str) -> dict[str, str]:
        """One container, network, named volume and tag made directly, as the user would."""
        return {
            "container": self.make(
                "container",
                self.name(f"{what}-c"),
                "create",
                "--name",
                self.name(f"{what}-c"),
                ASPNET,
                "sleep",
                "1",
            ),
            "network": self.make(
                "network", self.name(f"{what}-n"), "network", "create", self.name(f"{what}-n")
            ),
            "volume": self.make(
                "volume", self.name(f"{what}-v"), "volume", "create", self.name(f"{what}-v")
            ),
            "image": self.make(
                "image", f"{self.name(what)}:1", "tag", ASPNET, f"{self.name(what)}:1"
            ),
        }

    def remove(self) -> None:
        removers = {
            "container": ("rm", "-f", "-v"),
            "network": ("network", "rm"),
            "volume": ("volume", "rm", "-f"),
            "image": ("rmi", "--no-prune"),
        }
        for kind in KINDS:
            for made_kind, name in self.made:
                if made_kind == kind:
                    subprocess.run(
                        [NEW_CLIENT, *removers[kind], name],
                        capture_output=True,
                        timeout=60,
                        check=False,
                    )


@pytest.fixture
def objects(tmp_path: Path) -> Iterator[Objects]:
    made = Objects()
    try:
        yield made
    finally:
        remove_recorded(tmp_path / "record.jsonl")
        made.remove()


def context(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "context"
    folder.mkdir(exist_ok=True)
    (folder / "Dockerfile").write_text(f"FROM {ASPNET}\nCOPY note /note\n")
    (folder / "note").write_text(text)
    return folder


def interactive_round_trip(exe: str, env: dict[str, str], name: str) -> None:
    """`docker run -ti` through a pty: what is typed reaches the container and comes back."""
    script = "read line; echo got:$line; read again; echo got2:$again"
    child = pexpect.spawn(
        exe,
        ["run", "-ti", "--name", name, ASPNET, "sh", "-c", script],
        env=env,
        timeout=60,
        encoding="utf-8",
    )
    try:
        child.sendline("hello")
        child.expect("got:hello")
        child.sendline("again")
        child.expect("got2:again")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def test_removes_exactly_what_the_page_made(tmp_path: Path, objects: Objects) -> None:
    before = objects.outside_set("before")
    objects.make(
        "image", f"{objects.name('shared')}:1", "tag", ASPNET, f"{objects.name('shared')}:1"
    )
    aspnet = image_id(ASPNET)
    record = tmp_path / "record.jsonl"
    page = {kind: objects.name(f"page-{kind[0]}") for kind in KINDS}
    with DockerOwnership(tmp_path, record) as owned:
        env = {**os.environ, **owned.environment()}
        docker(
            "run",
            "-d",
            "--name",
            page["container"],
            "-v",
            "/anonymous",
            "-v",
            f"{objects.name('implicit')}:/named",
            "-v",
            f"{before['volume']}:/kept",
            ASPNET,
            "sleep",
            "300",
            env=env,
        )
        anonymous = docker(
            "inspect",
            "--format",
            '{{range .Mounts}}{{if eq .Destination "/anonymous"}}{{.Name}}{{end}}{{end}}',
            page["container"],
        )
        assert docker("exec", page["container"], "sh", "-c", "echo $((6 * 7))", env=env) == "42"
        interactive_round_trip(NEW_CLIENT, env, objects.name("ti"))
        interactive_round_trip(DEBIAN_CLIENT, env, objects.name("ti-debian"))
        docker("network", "create", page["network"], env=env)
        docker("volume", "create", page["volume"], env=env)
        docker("volume", "create", before["volume"], env=env)  # exists: stays the user's
        # `docker tag` sends its target fully qualified, a build's -t as typed: one tag still.
        docker("tag", ASPNET, f"{page['image']}:1", env=env)
        docker("build", "-q", "-t", f"{page['image']}:1", str(context(tmp_path, "legacy")), env=env)
        docker(
            "build",
            "-q",
            "-t",
            f"{objects.name('shared')}:1",
            str(context(tmp_path, "buildkit")),
            env={**env, "DOCKER_BUILDKIT": "1"},
            exe=DEBIAN_CLIENT,
        )
        assert image_id(f"{objects.name('shared')}:1") != aspnet
        docker("tag", ASPNET, f"{objects.name('tagged')}:1", env=env)
        during = objects.outside_set("during")
        assert record.exists()
    gone = [
        ("container", page["container"]),
        ("container", objects.name("ti")),
        ("container", objects.name("ti-debian")),
        ("network", page["network"]),
        ("volume", page["volume"]),
        ("volume", objects.name("implicit")),
        ("volume", anonymous),
        ("image", f"{page['image']}:1"),
        ("image", f"{objects.name('tagged')}:1"),
    ]
    assert [(kind, name) for kind, name in gone if exists(kind, name)] == []
    kept = [*before.items(), *during.items()]
    assert [(kind, name) for kind, name in kept if not exists(kind, name)] == []
    assert image_id(f"{objects.name('shared')}:1") == aspnet  # the page's overwrite undone
    assert image_id(ASPNET) == aspnet
    assert owned.removal.failed == ()
    assert not record.exists()


def test_prunes_and_a_failed_build_stay_within_the_page(tmp_path: Path, objects: Objects) -> None:
    outside = objects.outside_set("unused")  # a stopped container, an unused network and volume
    with DockerOwnership(tmp_path, tmp_path / "record.jsonl") as owned:
        env = {**os.environ, **owned.environment()}
        marker = docker("create", "--name", objects.name("marker"), ASPNET, "true", env=env)
        volume = docker("volume", "create", objects.name("pruned"), env=env)
        for kind in ("container", "volume", "network"):
            docker(kind, "prune", "-f", env=env)
        assert [kind for kind, name in outside.items() if not exists(kind, name)] == []
        assert not exists("container", marker)  # the page's own objects are pruned
        assert not exists("volume", volume)
        folder = tmp_path / "failing"
        folder.mkdir()
        (folder / "Dockerfile").write_text(f"FROM {ASPNET}\nRUN exit 3\n")
        failed = subprocess.run(
            [NEW_CLIENT, "build", str(folder)],
            env=env,
            capture_output=True,
            timeout=180,
            check=False,
        )
        assert failed.returncode != 0
        since = docker(
            "ps",
            "-a",
            "--no-trunc",
            "--format",
            "{{.Command}}",
            "--filter",
            f"since={outside['container']}",
        )  # other tests may run containers meanwhile: look for this build's own step
        assert "exit 3" not in since  # the failed step's intermediate container was removed
    assert owned.removal.failed == ()


OWNER = """
import sys, time
from pathlib import Path
from guiderunner.run.docker.owned import DockerOwnership
with DockerOwnership(Path(sys.argv[1]), Path(sys.argv[2])) as owned:
    print(owned.environment()["DOCKER_HOST"], flush=True)
    time.sleep(600)
"""


def test_reset_after_sigkill_removes_what_the_killed_run_made(
    tmp_path: Path, objects: Objects
) -> None:
    record = tmp_path / "record.jsonl"
    env_of_child = {**os.environ, "PYTHONPATH": str(ROOT)}
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER, str(tmp_path), str(record)],
        stdout=subprocess.PIPE,
        text=True,
        env=env_of_child,
    )
    try:
        assert owner.stdout is not None
        env = {**os.environ, "DOCKER_HOST": owner.stdout.readline().strip()}
        page = {kind: objects.name(f"killed-{kind[0]}") for kind in KINDS}
        docker("run", "-d", "--name", page["container"], ASPNET, "sleep", "300", env=env)
        docker("network", "create", page["network"], env=env)
        docker("volume", "create", page["volume"], env=env)
        docker("tag", ASPNET, f"{page['image']}:1", env=env)
        outside = objects.outside_set("outside")
    finally:
        owner.send_signal(signal.SIGKILL)
        owner.wait(timeout=30)
    assert exists("container", page["container"])  # a kill alone leaves them: reset's job
    # A lost line (the runner killed between the engine's answer and the write): the
    # session label still finds the object.
    lines = record.read_text().splitlines()
    record.write_text("\n".join(ln for ln in lines if '"container"' not in ln) + "\n")
    reset = [
        sys.executable,
        "-c",
        "import sys; from pathlib import Path; from guiderunner.run.docker.owned import "
        "remove_recorded; r = remove_recorded(Path(sys.argv[1])); print(r.failed)",
    ]
    done = subprocess.run(
        [*reset, str(record)],
        env=env_of_child,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip() == "()"
    assert [kind for kind in KINDS if exists(kind, page[kind] + (":1" * (kind == "image")))] == []
    assert [kind for kind, name in outside.items() if not exists(kind, name)] == []
    assert not record.exists()


def registry_port() -> int | None:
    from guiderunner.toolchain.settings import Settings

    port = Settings.from_env().registry_port
    try:
        urlopen(f"http://127.0.0.1:{port}/v2/", timeout=10).close()
    except OSError:
        return None
    return port


def delete_from_registry(port: int, name: str, tag: str) -> None:
    """Delete a manifest this test pushed (by the digest its tag names now), if any."""
    base = f"http://127.0.0.1:{port}/v2/{name}/manifests"
    accept = "application/vnd.docker.distribution.manifest.v2+json"
    try:
        with urlopen(
            Request(f"{base}/{tag}", method="HEAD", headers={"Accept": accept}), timeout=10
        ) as r:
            digest = r.headers["Docker-Content-Digest"]
        urlopen(Request(f"{base}/{digest}", method="DELETE"), timeout=10).close()
    except OSError:
        pass  # not there: nothing to delete


def test_an_import_and_a_push_are_recorded(tmp_path: Path, objects: Objects) -> None:
    port = registry_port()
    if port is None:
        pytest.skip("the private registry is not up (`runner toolchain up`)")
    repo = f"localhost:{port}/{objects.name('push')}"
    record = tmp_path / "record.jsonl"
    try:
        with DockerOwnership(tmp_path, record) as owned:
            env = {**os.environ, **owned.environment()}
            empty = tmp_path / "empty.tar"
            subprocess.run(["tar", "cf", str(empty), "--files-from", "/dev/null"], check=True)
            docker("import", str(empty), f"{repo}:1", env=env)
            docker("push", f"{repo}:1", env=env)
            recorded = read_record(record)
        assert recorded is not None
        pushes = [(ref, (digest or "").split("@")[0]) for ref, digest in recorded.pushes]
        assert pushes == [(f"{repo}:1", repo)]
        assert not exists("image", f"{repo}:1")
        assert owned.removal.failed == ()
    finally:
        delete_from_registry(port, objects.name("push"), "1")
