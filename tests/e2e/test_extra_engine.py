"""A second Docker engine in its own network namespace, beside the main one, for real.

Both engines publish the same host port at the same time, each container answers on its own
namespace's loopback, the second engine's containers reach the host's networks through our
NAT, and stopping it leaves nothing: no process, mount, namespace, veth, rule or folder.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from guiderunner.toolchain import extra_engine, netns
from guiderunner.toolchain.errors import ToolchainError
from guiderunner.toolchain.images import ASPNET_TAG, TAGS
from tests.conftest import ROOT

pytestmark = [
    pytest.mark.docker,
    pytest.mark.timeout(600),
    pytest.mark.skipif(os.geteuid() != 0, reason="network namespaces and dockerd need root"),
]

LABEL = f"io.stockkube.test-run={uuid.uuid4().hex[:12]}"
# A one-line HTTP-less echo server: answers "<who> saw <peer address>" to each connection.
SERVER = (
    "use IO::Socket::INET; my $s = IO::Socket::INET->new(LocalPort => 8080, Listen => 5, "
    "ReuseAddr => 1) or die $!; while (my $c = $s->accept) { <$c>; "
    'print $c "$ENV{WHO} saw " . $c->peerhost . "\\n"; close $c }'
)
ASK = "exec 3<>/dev/tcp/{host}/{port} && echo hello >&3 && cat <&3"


def docker(*args: str, host: str | None = None, timeout: float = 60) -> str:
    prefix = ["docker", "--host", host] if host else ["docker"]
    done = subprocess.run(
        [*prefix, *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def ask(port: int, host: str = "127.0.0.1", enter: list[str] | None = None) -> str:
    """Connect from the host, or from inside a namespace, and return the first answer.

    Docker's proxy accepts the connection before the server in the container listens, and
    then closes it without a word: ask again until an answer comes (20 s at most).
    """
    command = [*(enter or []), "bash", "-c", ASK.format(host=host, port=port)]
    deadline = time.monotonic() + 20
    while True:
        done = subprocess.run(command, capture_output=True, text=True, timeout=20, check=False)
        if done.stdout.strip() or time.monotonic() > deadline:
            return done.stdout.strip()
        time.sleep(0.2)


def serve(who: str, port: int, host: str | None = None) -> str:
    return docker(
        "run",
        "-d",
        "--label",
        LABEL,
        "-e",
        f"WHO={who}",
        "-p",
        f"127.0.0.1:{port}:8080",
        ASPNET_TAG,
        "perl",
        "-e",
        SERVER,
        host=host,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def new_layout(name: str) -> extra_engine.EngineLayout:
    base = Path(tempfile.mkdtemp(prefix=f"{name}-", dir="/tmp"))
    return extra_engine.EngineLayout(base, netns.Netns(name, netns.free_number()))


def leftovers(layout: extra_engine.EngineLayout) -> list[str]:
    found = []
    if layout.ns.path.exists():
        found.append(f"namespace {layout.ns.path}")
    if Path(f"/sys/class/net/{layout.ns.host_veth}").exists():
        found.append(f"veth {layout.ns.host_veth}")
    for table in ("filter", "nat"):
        rules = subprocess.run(
            ["iptables", "-w", "5", "-t", table, "-S"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout
        found += [f"rule {line}" for line in rules.splitlines() if layout.ns.netns in line]
    found += [f"process {pid}" for pid in extra_engine._processes_under(layout.base)]
    mounts = Path("/proc/self/mountinfo").read_text()
    found += [f"mount {m}" for m in mounts.split() if m.startswith(f"{layout.base}/")]
    if layout.base.exists():
        found.append(f"folder {layout.base}")
    return found


@pytest.fixture(scope="module")
def engine() -> Iterator[extra_engine.Engine]:
    if subprocess.run(["docker", "info"], capture_output=True, timeout=30, check=False).returncode:
        pytest.skip("the main Docker engine is not running (runner toolchain up)")
    layout = new_layout("sktest")
    try:
        with extra_engine.running(layout, TAGS) as started:
            print(f"second engine answered in {started.started_in:.2f}s; copied {started.copied}")
            yield started
    finally:
        subprocess.run(
            ["sh", "-c", f"docker ps -aq --filter label={LABEL} | xargs -r docker rm -f"],
            capture_output=True,
            timeout=60,
            check=False,
        )
    assert leftovers(layout) == []


def test_it_runs_in_its_own_namespace_with_its_own_data(engine: extra_engine.Engine):
    layout = engine.layout
    its_netns = Path(f"/proc/{engine.pid}/ns/net")
    assert its_netns.readlink() != Path("/proc/self/ns/net").readlink()
    assert its_netns.stat().st_ino == layout.ns.path.stat().st_ino
    root = docker("info", "--format", "{{.DockerRootDir}}", host=layout.docker_host)
    assert Path(root) == layout.data
    assert root != docker("info", "--format", "{{.DockerRootDir}}")
    for tag in TAGS:
        mine = docker("image", "inspect", "--format", "{{.Id}}", tag, host=layout.docker_host)
        assert mine == docker("image", "inspect", "--format", "{{.Id}}", tag)


def test_both_engines_publish_the_same_port_at_once(engine: extra_engine.Engine):
    port = free_port()
    serve("main", port)
    serve("extra", port, host=engine.layout.docker_host)
    assert ask(port).startswith("main saw ")
    assert ask(port, enter=engine.layout.ns.enter()).startswith("extra saw ")


def test_its_containers_reach_the_host_networks_through_our_nat(engine: extra_engine.Engine):
    main = serve("main", free_port())
    address = docker("inspect", "--format", "{{.NetworkSettings.IPAddress}}", main)
    gateway = docker("inspect", "--format", "{{.NetworkSettings.Gateway}}", main)
    answer = docker(
        "run",
        "--rm",
        "--label",
        LABEL,
        ASPNET_TAG,
        "bash",
        "-c",
        ASK.format(host=address, port=8080),
        host=engine.layout.docker_host,
    )
    # The main container sees the host's address on its bridge: our MASQUERADE rewrote it.
    assert answer == f"main saw {gateway}"


def test_its_shard_has_a_registry_of_its_own_on_the_same_port(engine: extra_engine.Engine):
    layout, port = engine.layout, engine.registry_port
    assert port is not None
    name = f"localhost:{port}/probe-{uuid.uuid4().hex[:8]}"
    docker("tag", ASPNET_TAG, f"{name}:1", host=layout.docker_host)
    docker("push", f"{name}:1", host=layout.docker_host, timeout=120)
    inside = subprocess.run(
        [*layout.ns.enter(), "curl", "-sf", f"http://127.0.0.1:{port}/v2/_catalog"],
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
    ).stdout
    assert name.split("/", 1)[1] in inside
    outside = subprocess.run(
        ["curl", "-s", f"http://127.0.0.1:{port}/v2/_catalog"],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    ).stdout
    assert name.split("/", 1)[1] not in outside


def test_a_second_start_of_the_same_engine_is_refused_and_harms_nothing(
    engine: extra_engine.Engine,
):
    with pytest.raises(ToolchainError, match="is already there"):
        extra_engine.start(engine.layout, ())
    assert extra_engine.answers(engine.layout)
    assert engine.layout.ns.path.exists()


def test_stop_removes_everything_even_with_containers_running():
    layout = new_layout("skstop")
    engine = extra_engine.start(layout, (ASPNET_TAG,), registry_port=free_port())
    try:
        docker("run", "-d", ASPNET_TAG, "sleep", "600", host=layout.docker_host)
        assert len(extra_engine._processes_under(layout.base)) >= 3  # registry, containerd, shim
        assert leftovers(layout) != []
    finally:
        done = extra_engine.stop(layout)
    assert any(line.startswith("stopped dockerd") for line in done)
    assert leftovers(layout) == []
    assert (
        not Path(f"/proc/{engine.pid}").exists()
        or "dockerd" not in Path(f"/proc/{engine.pid}/comm").read_text()
    )
    docker("info")  # the main engine is still there


def test_a_failed_start_leaves_nothing_behind():
    layout = new_layout("skfail")
    with pytest.raises(ToolchainError, match="the main engine has no stockkube/none:never"):
        extra_engine.start(layout, ("stockkube/none:never",), registry_port=None)
    assert leftovers(layout) == []


PAGE = """\
# Page {who}

```console
$ docker run -d --name page-{who}-{run} -e WHO={who} -p 127.0.0.1:{port}:8080 \\
    {image} perl -e '{server}' >/dev/null
$ ask() {{ bash -c 'exec 3<>/dev/tcp/127.0.0.1/{port} && echo hi >&3 && cat <&3' 2>/dev/null; }}
$ for i in $(seq 100); do answer=$(ask); [ -n "$answer" ] && break; sleep 0.2; done
$ echo "$answer"
{who} saw ...
```
"""


def test_two_shards_run_at_once_one_per_engine_then_merge(
    engine: extra_engine.Engine, tmp_path: Path
):
    """`--shard 1/2` on the main engine, `--shard 2/2` on the second, at once; then merged.

    Both pages publish the same port: each shard's page runs on its own engine and its shell
    in that engine's namespace, so both pass, and `runner report merge` makes one report.
    """
    port, run = free_port(), uuid.uuid4().hex[:8]
    server = SERVER.replace("<$c>", "readline($c)")
    for who in ("one", "two"):
        text = PAGE.format(who=who, run=run, port=port, image=ASPNET_TAG, server=server)
        (tmp_path / f"{who}.md").write_text(text, encoding="utf-8")
    runner = [sys.executable, "-m", "guiderunner"]
    verify = [*runner, "verify", "--no-cache", "one.md", "two.md", "--shard"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    shards = [
        subprocess.Popen([*verify, "1/2", "--json", "s1.json"], cwd=tmp_path, env=env),
        subprocess.Popen(
            [*engine.layout.ns.enter(), *verify, "2/2", "--json", "s2.json"],
            cwd=tmp_path,
            env=engine.environ(env),
        ),
    ]
    assert [shard.wait(timeout=240) for shard in shards] == [0, 0]
    ran = {
        index: [p["path"] for p in json.loads((tmp_path / f"s{index}.json").read_text())["pages"]]
        for index in (1, 2)
    }
    assert sorted(ran[1] + ran[2]) == ["one.md", "two.md"]
    assert len(ran[1]) == len(ran[2]) == 1  # two pages of no history: one each
    merge = [*runner, "report", "merge", "s1.json", "s2.json", "--json", "m.json"]
    done = subprocess.run(
        [*merge, "--junit", "m.xml"], cwd=tmp_path, env=env, timeout=60, check=False
    )
    assert done.returncode == 0
    merged = json.loads((tmp_path / "m.json").read_text())
    assert [(p["path"], p["passed"]) for p in merged["pages"]] == [
        ("one.md", True),
        ("two.md", True),
    ]
    suites = ET.parse(tmp_path / "m.xml").getroot().findall("testsuite")
    assert [(s.get("name"), s.get("failures")) for s in suites] == [
        ("one.md", "0"),
        ("two.md", "0"),
    ]
    # Each runner cleaned up after its page, on its own engine.
    main_page, extra_page = Path(ran[1][0]).stem, Path(ran[2][0]).stem
    assert docker("ps", "-aq", "--filter", f"name=page-{main_page}-{run}") == ""
    assert (
        docker(
            "ps", "-aq", "--filter", f"name=page-{extra_page}-{run}", host=engine.layout.docker_host
        )
        == ""
    )
