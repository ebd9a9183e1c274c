"""A second Docker engine of our own, in its own network namespace, for a second shard.

Two shards on one machine cannot share an engine: the runner's cleanup removes what appeared
while a page ran, and two pages publishing port 5000 collide. So the second shard gets its own
dockerd: its own socket, data root, exec root (where its containerd lives), pid file and log,
all under one folder, and its own network namespace (guiderunner.toolchain.netns), where its
containers publish their ports and where the shard's shell runs (`nsenter --net=`), so that
`curl localhost:5000` on a page reaches that engine's container. Inside the namespace the
engine's own iptables rules stay in the namespace; the host gets only our veth and NAT rules.

The stand-in .NET images are copied from the main engine (`docker save | docker load`) unless
the data root already holds the same image ids. Start and stop are bounded in time, and `stop`
works from the folder and the name alone, so it also cleans up after a run that was killed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from guiderunner.toolchain import netns, ns_registry, proc
from guiderunner.toolchain.engine import daemon_args
from guiderunner.toolchain.errors import ToolchainError
from guiderunner.toolchain.image_copy import copy_image
from guiderunner.toolchain.images import TAGS
from guiderunner.toolchain.settings import DEFAULT_REGISTRY_PORT

PROCESS = "dockerd"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 60.0
COPY_TIMEOUT = 600.0


@dataclass(frozen=True, slots=True)
class EngineLayout:
    """Where a second engine keeps everything, and which namespace it runs in."""

    base: Path
    """Socket, exec root, pid file, log and config; removed by `stop`. Keep it short: the
    socket path must fit in 108 bytes."""
    ns: netns.Netns
    """Its network namespace."""
    data_root: Path | None = None
    """Its images; None puts them under `base` (gone with it). A cache folder keeps them."""

    @property
    def socket(self) -> Path:
        """The engine's API socket."""
        return self.base / "docker.sock"

    @property
    def docker_host(self) -> str:
        """The DOCKER_HOST value that reaches it."""
        return f"unix://{self.socket}"

    @property
    def data(self) -> Path:
        """The --data-root."""
        return self.data_root or self.base / "data"

    @property
    def exec_root(self) -> Path:
        """The --exec-root: its containerd's socket and state."""
        return self.base / "x"

    @property
    def pidfile(self) -> Path:
        """Written by dockerd."""
        return self.base / "dockerd.pid"

    @property
    def log(self) -> Path:
        """What dockerd prints."""
        return self.base / "dockerd.log"

    @property
    def bridge_cidr(self) -> str:
        """Its docker0 inside the namespace, away from the main engine's 172.17/16."""
        return f"10.232.{self.ns.number}.1/24"


@dataclass(frozen=True, slots=True)
class Engine:
    """A running second engine."""

    layout: EngineLayout
    """Where it lives."""
    pid: int
    """Its dockerd."""
    started_in: float
    """Seconds from launch to `docker info` answering (images not counted)."""
    copied: tuple[str, ...] = ()
    """The images copied in from the main engine by this start."""
    registry_port: int | None = None
    """The port of its own registry on the namespace's loopback, if it has one."""

    def environ(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """`base` (or ours) with DOCKER_HOST pointing at this engine."""
        return {**(os.environ if base is None else base), "DOCKER_HOST": self.layout.docker_host}

    def argv(self, command: Sequence[str]) -> list[str]:
        """`command` run inside the engine's network namespace."""
        return [*self.layout.ns.enter(), *command]


def dockerd_args(layout: EngineLayout) -> list[str]:
    """The command line: everything of its own, nothing shared with the main engine."""
    config, pidfile = layout.base / "daemon.json", layout.pidfile
    daemon = daemon_args(config, layout.docker_host, layout.data, pidfile, layout.exec_root)
    return [*layout.ns.enter(), *daemon, "--bip", layout.bridge_cidr]


def start(
    layout: EngineLayout,
    images: Sequence[str] = TAGS,
    registry_port: int | None = DEFAULT_REGISTRY_PORT,
) -> Engine:
    """Create the namespace, start dockerd in it, copy `images` in; on failure undo it all.

    With `registry_port`, a registry of its own answers on that port of the namespace's
    loopback, where the main toolchain's registry answers on the host's (see ns_registry).

    An engine or namespace of that name already there is another run's: refused, untouched.
    """
    if proc.is_running(proc.read_pid(layout.pidfile), PROCESS) or layout.ns.path.exists():
        raise ToolchainError(
            f"a second engine {layout.ns.name} is already there ({layout.base}, namespace "
            f"{layout.ns.netns}): stop it first"
        )
    try:
        layout.base.mkdir(parents=True, exist_ok=True)
        layout.data.mkdir(parents=True, exist_ok=True)
        (layout.base / "daemon.json").write_text("{}\n")
        netns.create(layout.ns)
        began = time.monotonic()
        pid = proc.spawn(dockerd_args(layout), layout.log, env=proc.daemon_env())
        _wait_ready(layout, pid)
        started_in = time.monotonic() - began
        copied = tuple(i for i in images if copy_image(i, layout.docker_host, COPY_TIMEOUT))
        if registry_port is not None:
            ns_registry.start(layout.ns, layout.base / "registry", registry_port)
    except BaseException:
        with contextlib.suppress(ToolchainError):
            stop(layout)
        raise
    return Engine(layout, pid, started_in, copied, registry_port)


def answers(layout: EngineLayout) -> bool:
    """Whether the engine's socket answers `docker info`."""
    argv = ["docker", "--host", layout.docker_host, "info", "--format", "{{.ServerVersion}}"]
    done = proc.run(argv, timeout=30, check=False)
    return done.returncode == 0 and bool(done.stdout.strip())


def _wait_ready(layout: EngineLayout, pid: int) -> None:
    def gone() -> bool:
        return not (proc.is_running(pid, PROCESS) or proc.is_running(pid, "nsenter"))

    if not proc.wait_for(lambda: answers(layout), START_TIMEOUT, gone):
        state = "exited" if gone() else f"did not answer within {START_TIMEOUT:.0f}s"
        raise ToolchainError(
            f"the second Docker engine {state} (log {layout.log}): {proc.log_tail(layout.log)}"
        )


# --- stop --------------------------------------------------------------------------------------


def stop(layout: EngineLayout) -> list[str]:
    """Stop the engine and remove what `start` made; one line per thing done.

    dockerd stops its containers and its containerd on SIGTERM; anything of ours still running
    after it (containerd, shims) is killed, mounts left under our folders are detached, then
    the namespace and rules go, and the folder (the data root too, unless it is elsewhere).
    """
    done, failed = [], []
    pid = proc.read_pid(layout.pidfile)
    if pid is not None and proc.is_running(pid, PROCESS):
        began = time.monotonic()
        try:
            proc.stop(pid, PROCESS, STOP_TIMEOUT)
            done.append(f"stopped dockerd (pid {pid}) in {time.monotonic() - began:.1f}s")
        except ToolchainError as error:
            failed.append(str(error))
    done += _end(_processes_under(layout.base))
    done += _unmount_under([layout.base, layout.data])
    try:
        done += netns.remove(layout.ns)
    except ToolchainError as error:
        failed.append(str(error))
    if layout.base.exists():
        shutil.rmtree(layout.base, ignore_errors=True)
        done.append(f"removed {layout.base}")
    if failed:
        raise ToolchainError(f"the second engine was not wholly removed: {'; '.join(failed)}")
    return done


def _end(pids: Sequence[int]) -> list[str]:
    """SIGTERM, up to 5 s to exit, then SIGKILL: for our registry and what dockerd left."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    proc.wait_for(lambda: not any(Path(f"/proc/{p}").exists() for p in pids), 5.0)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return [f"stopped process {pid} (registry, or left by dockerd)" for pid in pids]


def _processes_under(folder: Path) -> list[int]:
    """Processes whose command line names `folder`.

    That is our registry (its config is there), and containerd and its shims should dockerd
    leave them behind (they use the exec root).
    """
    marker = str(folder).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            with contextlib.suppress(OSError):
                if marker in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
    return found


def _unmount_under(folders: Sequence[Path]) -> list[str]:
    """Detach mounts (overlays, shm, netns files) that a killed engine left in our folders."""
    prefixes = tuple(f"{folder.resolve()}/" for folder in folders)
    mounts = [line.split()[4] for line in Path("/proc/self/mountinfo").read_text().splitlines()]
    done = []
    for point in sorted((m for m in mounts if m.startswith(prefixes)), reverse=True):
        proc.run(["umount", "--lazy", point], timeout=20, check=False)
        done.append(f"unmounted {point}")
    return done


@contextlib.contextmanager
def running(
    layout: EngineLayout,
    images: Sequence[str] = TAGS,
    registry_port: int | None = DEFAULT_REGISTRY_PORT,
) -> Iterator[Engine]:
    """A second engine for the length of a `with`, stopped on the way out whatever happened."""
    engine = start(layout, images, registry_port)
    try:
        yield engine
    finally:
        stop(layout)
