"""The Docker toolchain end to end: a real engine, real images, real containers, no mocks.

`up` from a stopped engine, the tutorial's multi-stage Dockerfiles built from a scratch copy of
the sample solution, StockData answering gRPC on a published port, StockWeb reaching it over a
user-defined network, and a push/pull round trip through the local registry. Every container
and network carries a per-run label, and teardown removes them even when a test fails.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import ModuleType

import pytest

from guiderunner.toolchain.settings import DEFAULT_REGISTRY_PORT

pytestmark = [pytest.mark.docker, pytest.mark.timeout(3600)]

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures" / "toolchain"
SAMPLE = REPO / "sample-solution"
SDK_TAG = "mcr.microsoft.com/dotnet/sdk:10.0"
ASPNET_TAG = "mcr.microsoft.com/dotnet/aspnet:10.0"
STAND_IN_LABEL = "io.stockkube.stand-in"
REGISTRY = "registry:2"
CHISELED = "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled"
SYMBOLS = ("AAPL", "MSFT")
WARM_UP_LIMIT = 30.0  # seconds a second `up` may take when everything already runs


def toolchain(
    *args: str, timeout: float = 3000, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m guiderunner toolchain ARGS` as a reader would, with extra variables."""
    return subprocess.run(
        [sys.executable, "-m", "guiderunner", "toolchain", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **(env or {})},
    )


def one_line_error(result: subprocess.CompletedProcess[str], status: int) -> str:
    """The single `runner: ...` line a failure prints, after checking its exit status."""
    assert result.returncode == status, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("runner: ")
    return lines[0]


def docker(*args: str, timeout: float = 120, check: bool = True) -> str:
    """Run the plain `docker` CLI; a failure shows its stderr."""
    result = subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and result.returncode != 0:
        pytest.fail(f"docker {' '.join(args)} failed: {result.stderr.strip()[-2000:]}")
    return result.stdout.strip()


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def registry_port() -> int:
    """The port `up` started the registry on."""
    return int(os.environ.get("RUNNER_REGISTRY_PORT") or DEFAULT_REGISTRY_PORT)


def wait_until(check: Callable[[], bool], timeout: float, what: str, container: str) -> None:
    """Poll until `check` holds; on time-out or a dead container, fail with its logs."""
    deadline = time.monotonic() + timeout
    while not check():
        running = docker("inspect", "-f", "{{.State.Running}}", container, check=False)
        if running != "true" or time.monotonic() > deadline:
            logs = docker("logs", "--tail", "30", container, check=False)
            pytest.fail(f"{what} (container running: {running}); logs:\n{logs}")
        time.sleep(0.5)


@dataclass
class Timings:
    """Cold and warm durations, written to the cache's logs for the report."""

    seconds: dict[str, float] = field(default_factory=dict)

    def measure(self, name: str, action: Callable[[], object]) -> float:
        """Time one action."""
        began = time.monotonic()
        action()
        self.seconds[name] = round(time.monotonic() - began, 1)
        return self.seconds[name]


@pytest.fixture(scope="module")
def timings() -> Iterator[Timings]:
    """Collect timings; saved to $RUNNER_TOOLCHAIN_CACHE/logs/e2e-timings.json at the end."""
    found = Timings()
    yield found
    cache = Path(os.environ.get("RUNNER_TOOLCHAIN_CACHE") or Path.home() / ".cache" / "stockkube")
    (cache / "logs").mkdir(parents=True, exist_ok=True)
    (cache / "logs" / "e2e-timings.json").write_text(json.dumps(found.seconds, indent=2) + "\n")


@dataclass
class Run:
    """This run's Docker objects, all labelled so teardown finds every one of them."""

    label: str = field(default_factory=lambda: f"stockkube-e2e={uuid.uuid4().hex[:10]}")

    @property
    def prefix(self) -> str:
        """A name prefix unique to this run."""
        return "stockkube-e2e-" + self.label.split("=")[1]

    def containers(self) -> list[str]:
        """Containers of this run, running or not."""
        return docker("ps", "-aq", "--filter", f"label={self.label}").split()

    def networks(self) -> list[str]:
        """Networks of this run."""
        return docker("network", "ls", "-q", "--filter", f"label={self.label}").split()

    def run(self, name: str, image: str, *options: str) -> str:
        """`docker run -d` a labelled container; returns its name."""
        full = f"{self.prefix}-{name}"
        docker("run", "-d", "--name", full, "--label", self.label, *options, image)
        return full

    def network(self, name: str) -> str:
        """Create a labelled user-defined bridge network."""
        full = f"{self.prefix}-{name}"
        docker("network", "create", "--label", self.label, full)
        return full

    def clean(self) -> None:
        """Remove this run's containers, then its networks."""
        if containers := self.containers():
            docker("rm", "-f", "-v", *containers, check=False)
        for network in self.networks():
            docker("network", "rm", network, check=False)


@dataclass
class Up:
    """What the module's `up` calls did."""

    first: subprocess.CompletedProcess[str]
    second: subprocess.CompletedProcess[str]
    first_seconds: float
    second_seconds: float
    broken_engine: subprocess.CompletedProcess[str] | None


@pytest.fixture(scope="module")
def up(timings: Timings, tmp_path_factory: pytest.TempPathFactory) -> Up:
    """Stop the engine if the toolchain started it, try a dockerd that fails, then `up` twice.

    RUNNER_E2E_KEEP_ENGINE=1 skips the stop, for runs beside others that use the engine.
    """
    if not os.environ.get("RUNNER_E2E_KEEP_ENGINE"):
        stopped = toolchain("down", timeout=300)
        assert stopped.returncode == 0, stopped.stderr
    broken = None
    if "engine: not running" in toolchain("status", timeout=120).stdout:
        broken = toolchain("up", timeout=300, env={"PATH": fake_dockerd(tmp_path_factory)})
    results: list[subprocess.CompletedProcess[str]] = []
    first = timings.measure("up (engine stopped)", lambda: results.append(toolchain("up")))
    second = timings.measure("up (all running)", lambda: results.append(toolchain("up")))
    return Up(results[0], results[1], first, second, broken)


def fake_dockerd(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A PATH whose first `dockerd` exits at once with a message, as a broken engine does."""
    folder = tmp_path_factory.mktemp("fake-bin")
    script = folder / "dockerd"
    script.write_text(
        "#!/bin/sh\necho 'failed to start daemon: simulated by the test' >&2\nexit 1\n"
    )
    script.chmod(0o755)
    return f"{folder}:{os.environ.get('PATH', '/usr/bin:/bin')}"


@pytest.fixture(scope="module")
def run(up: Up) -> Iterator[Run]:
    """This run's containers and networks, removed at the end even after failures."""
    assert up.first.returncode == 0, up.first.stderr
    objects = Run()
    yield objects
    objects.clean()
    assert not objects.containers(), "containers left behind"
    assert not objects.networks(), "networks left behind"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch copy of the sample solution with the tutorial's Dockerfiles added."""
    if not (SAMPLE / "StockKube.sln").is_file():
        pytest.skip("sample-solution/StockKube.sln does not exist yet")
    target = tmp_path_factory.mktemp("solution") / "StockKube"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("bin", "obj", "TestResults"))
    for name in ("StockData.Dockerfile", "StockWeb.Dockerfile", ".dockerignore"):
        shutil.copyfile(FIXTURES / name, target / name)
    return target


@dataclass
class Images:
    """Tags of the images this run built."""

    stockdata: str
    stockweb: str


def build(workspace: Path, app: str, tag: str, run: Run, *, cache: bool) -> None:
    """`docker build` one app; a failure shows the end of the build output."""
    options = [] if cache else ["--no-cache"]
    result = subprocess.run(
        ["docker", "build", *options, "--label", run.label, "-f", f"{app}.Dockerfile",
         "-t", tag, "."],
        cwd=workspace, capture_output=True, text=True, timeout=1800, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        pytest.fail(f"docker build {app} failed:\n{(result.stdout + result.stderr)[-3000:]}")


@pytest.fixture(scope="module")
def images(workspace: Path, run: Run, timings: Timings) -> Iterator[Images]:
    """Build both apps cold (--no-cache) and again warm; the images are removed afterwards."""
    tags = Images(f"{run.prefix}/stockdata:1.0.0", f"{run.prefix}/stockweb:1.0.0")
    before = set(dangling_images())
    for app, tag in (("StockData", tags.stockdata), ("StockWeb", tags.stockweb)):
        for cache, kind in ((False, "cold"), (True, "warm")):
            timings.measure(
                f"docker build {app} ({kind})",
                partial(build, workspace, app, tag, run, cache=cache),
            )
    yield tags
    docker("rmi", tags.stockdata, tags.stockweb, check=False)
    # --no-cache leaves the build stages behind as untagged images: drop the ones that are new.
    if left := sorted(set(dangling_images()) - before):
        docker("rmi", *left, check=False)


def dangling_images() -> list[str]:
    """Ids of untagged top-level images (finished build stages among them)."""
    return docker("images", "-q", "--no-trunc", "--filter", "dangling=true").split()


@pytest.fixture(scope="module")
def stubs(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """Python stubs for stocks.proto, generated into a temporary folder."""
    from grpc_tools import protoc

    out = tmp_path_factory.mktemp("stubs")
    protos = workspace / "src" / "StockData" / "Protos"
    status = protoc.main(["protoc", f"-I{protos}", f"--python_out={out}",
                          f"--grpc_python_out={out}", str(protos / "stocks.proto")])  # fmt: skip
    assert status == 0, "protoc failed on stocks.proto"
    sys.path.insert(0, str(out))
    try:
        importlib.import_module("stocks_pb2")
        return importlib.import_module("stocks_pb2_grpc")
    finally:
        sys.path.remove(str(out))


def test_up_starts_engine_and_builds_stand_ins(up: Up) -> None:
    assert up.first.returncode == 0, up.first.stderr
    assert up.second.returncode == 0, up.second.stderr
    assert up.second_seconds < WARM_UP_LIMIT, up.second.stdout
    assert docker("info", "--format", "{{.ServerVersion}}")
    for tag in (SDK_TAG, ASPNET_TAG):
        labels = json.loads(docker("image", "inspect", "--format", "{{json .Config.Labels}}", tag))
        assert labels.get(STAND_IN_LABEL) == "true", f"{tag} is not the local stand-in"
        assert "local stand-in" in labels["org.opencontainers.image.description"]


def test_engine_that_fails_to_start_is_one_line_with_log_tail(up: Up) -> None:
    if up.broken_engine is None:
        pytest.skip("the engine kept running (not ours, or RUNNER_E2E_KEEP_ENGINE)")
    line = one_line_error(up.broken_engine, 3)
    assert "the Docker engine exited" in line
    assert "simulated by the test" in line


def test_missing_sdk_is_one_line_and_status_3(tmp_path: Path) -> None:
    env = {"RUNNER_DOTNET_ROOT": str(tmp_path / "none"), "RUNNER_TOOLCHAIN_CACHE": str(tmp_path)}
    assert "the .NET 10 SDK is missing" in one_line_error(toolchain("up", env=env), 3)


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_full_disk_is_refused_before_anything_starts(tmp_path: Path) -> None:
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(tmp_path)], check=True)
    try:
        result = toolchain("up", env={"RUNNER_TOOLCHAIN_CACHE": str(tmp_path / "cache")})
    finally:
        subprocess.run(["umount", str(tmp_path)], check=True)
    assert "disk full" in one_line_error(result, 3)


def test_status_lists_engine_registry_and_images(up: Up) -> None:
    result = toolchain("status", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "engine: running" in result.stdout
    assert f"registry: running on 127.0.0.1:{registry_port()}" in result.stdout
    assert f"image: {SDK_TAG} (local stand-in" in result.stdout


def test_bad_usage_is_one_line_and_status_2() -> None:
    sideways = toolchain("sideways", timeout=60)
    assert sideways.returncode == 2
    assert "invalid choice: 'sideways'" in sideways.stderr
    bad_port = toolchain("status", timeout=60, env={"RUNNER_REGISTRY_PORT": "http"})
    assert "not a port" in one_line_error(bad_port, 2)


def test_stockdata_answers_grpc_on_a_published_port(
    images: Images, run: Run, stubs: ModuleType
) -> None:
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    port = free_port()
    name = run.run("data", images.stockdata, "-p", f"127.0.0.1:{port}:8080")
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        health = health_pb2_grpc.HealthStub(channel)

        def serving(service: str = "") -> bool:
            try:
                request = health_pb2.HealthCheckRequest(service=service)
                answer = health.Check(request, timeout=2)
            except grpc.RpcError:
                return False
            return bool(answer.status == health_pb2.HealthCheckResponse.SERVING)

        wait_until(serving, 60, "StockData never reported SERVING", name)
        assert serving("stockkube.v1.Stocks")
        messages = sys.modules["stocks_pb2"]
        stock = stubs.StocksStub(channel).Get(messages.GetStockRequest(id=1), timeout=5)
        assert stock.symbol == "AAPL"
    assert "Now listening on: http://[::]:8080" in docker("logs", name)


def test_stockweb_lists_stocks_from_stockdata_over_a_network(images: Images, run: Run) -> None:
    network = run.network("net")
    run.run("data-net", images.stockdata, "--network", network, "--network-alias", "stockdata")
    port = free_port()
    web = run.run(
        "web", images.stockweb, "--network", network, "-p", f"127.0.0.1:{port}:8080",
        "-e", "StockData__Address=http://stockdata:8080",
    )  # fmt: skip
    page: list[str] = []

    def fetched() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                page.append(response.read().decode())
        except (urllib.error.URLError, OSError):
            return False
        return True

    wait_until(fetched, 60, "StockWeb's home page never answered", web)
    for symbol in SYMBOLS:
        assert symbol in page[-1], f"{symbol} not on StockWeb's home page"


def test_push_remove_pull_through_local_registry(images: Images, run: Run) -> None:
    remote = f"localhost:{registry_port()}/stockkube/stockdata:1.0.0"
    image_id = docker("image", "inspect", "--format", "{{.Id}}", images.stockdata)
    docker("tag", images.stockdata, remote)
    run.clean()  # containers of the earlier tests would keep the image from being removed
    try:
        docker("push", remote, timeout=600)
        url = f"http://127.0.0.1:{registry_port()}/v2/stockkube/stockdata/tags/list"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert "1.0.0" in json.load(response)["tags"]
        docker("rmi", remote, images.stockdata)
        gone = docker("image", "inspect", image_id, check=False)
        assert not gone or gone == "[]", "the image is still there after rmi"
        docker("pull", remote, timeout=600)
        assert docker("image", "inspect", "--format", "{{.Id}}", remote) == image_id
    finally:
        docker("tag", remote, images.stockdata, check=False)
        docker("rmi", remote, check=False)


def test_teardown_leaves_no_container_or_network(run: Run) -> None:
    run.clean()
    assert run.containers() == []
    assert run.networks() == []


def test_registry_stand_in_runs_as_the_chapter_runs_it(run: Run) -> None:
    labels = json.loads(docker("image", "inspect", "--format", "{{json .Config.Labels}}", REGISTRY))
    assert labels.get(STAND_IN_LABEL) == "true", f"{REGISTRY} is not the local stand-in"
    port = free_port()
    name = run.run("registry", REGISTRY, "-p", f"127.0.0.1:{port}:5000")
    answers: list[str] = []

    def api_version() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=3) as response:
                answers.append(response.headers.get("Docker-Distribution-Api-Version", ""))
                return True
        except (urllib.error.URLError, OSError):
            return False

    wait_until(api_version, 60, "the registry container never answered /v2/", name)
    assert answers[-1] == "registry/2.0"


def test_chiseled_stand_in_runs_dotnet_without_a_shell(up: Up) -> None:
    assert up.first.returncode == 0, up.first.stderr
    config = json.loads(docker("image", "inspect", "--format", "{{json .Config}}", CHISELED))
    assert config["Labels"].get(STAND_IN_LABEL) == "true", f"{CHISELED} is not the local stand-in"
    assert config["User"] == "1654"
    assert "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true" in config["Env"]
    runtimes = docker("run", "--rm", CHISELED, "dotnet", "--list-runtimes")
    assert "Microsoft.AspNetCore.App 10." in runtimes
    no_shell = subprocess.run(
        ["docker", "run", "--rm", "--entrypoint", "sh", CHISELED],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert no_shell.returncode != 0
    assert "executable file not found" in no_shell.stderr
    size = {
        tag: int(docker("image", "inspect", "--format", "{{.Size}}", tag))
        for tag in (CHISELED, ASPNET_TAG)
    }
    assert size[CHISELED] < size[ASPNET_TAG], size
