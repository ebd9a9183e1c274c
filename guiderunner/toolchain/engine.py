"""The Docker engine: Debian's dockerd, started detached on the default socket.

The default socket (/var/run/docker.sock) lets a plain `docker` CLI work for guide readers.
overlay2 on the ext4 root works here, and so does dockerd's own iptables setup (iptables-nft):
`-p 127.0.0.1:PORT:8080` and user-defined networks need no extra flags. The data-root is in the
cache, so images outlive `down`. An engine we did not start is used but never stopped.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from guiderunner.toolchain import packages, proc
from guiderunner.toolchain.errors import ToolchainError
from guiderunner.toolchain.settings import Settings

SOCKET = "unix:///var/run/docker.sock"
START_TIMEOUT = 90.0
STOP_TIMEOUT = 60.0
PROCESS = "dockerd"


def answers() -> bool:
    """Whether `docker info` reaches a daemon: the one test that matters to readers."""
    try:
        result = proc.run(
            ["docker", "info", "--format", "{{.ServerVersion}}"], timeout=20, check=False
        )
    except ToolchainError:
        return False
    return result.returncode == 0 and bool(result.stdout.strip())


def remote_host() -> str | None:
    """DOCKER_HOST when it names an engine other than the default socket the toolchain serves.

    Every `docker` the runner and the pages call honours it, so the engine there is the one
    used; the toolchain neither starts nor stops it, and never mistakes ours for it.
    """
    host = os.environ.get("DOCKER_HOST") or SOCKET
    return None if host.rstrip("/") in (SOCKET, "unix:///run/docker.sock") else host


def our_pid(settings: Settings) -> int | None:
    """The pid of the dockerd that `up` started, if it still runs."""
    pid = proc.read_pid(settings.dockerd_pid)
    return pid if proc.is_running(pid, PROCESS) else None


def daemon_args(
    config: Path, host: str, data_root: Path, pidfile: Path, exec_root: Path | None = None
) -> list[str]:
    """A dockerd command line (this engine's, or a second one's in extra_engine).

    overlay2 is named so a wrong filesystem fails loudly, not slowly.
    """
    exec_args = [] if exec_root is None else ["--exec-root", str(exec_root)]
    return [
        PROCESS,
        "--config-file",
        str(config),
        "--host",
        host,
        "--data-root",
        str(data_root),
        *exec_args,
        "--pidfile",
        str(pidfile),
        "--storage-driver",
        "overlay2",
    ]


def dockerd_args(settings: Settings) -> list[str]:
    """The toolchain's dockerd command line, on the default socket."""
    config = settings.cache / "daemon.json"
    return daemon_args(config, SOCKET, settings.data_root, settings.dockerd_pid)


def ensure(settings: Settings) -> str:
    """Make `docker info` answer, starting (and installing) dockerd when needed."""
    remote = remote_host()
    if remote is not None:
        if answers():
            return f"engine: {remote} (DOCKER_HOST) answers; it is not the toolchain's to start"
        raise ToolchainError(
            f"no Docker engine answers at DOCKER_HOST={remote}; the toolchain starts one only on "
            f"{SOCKET}: start that engine, or unset DOCKER_HOST"
        )
    if answers():
        pid = our_pid(settings)
        if pid is None:
            return "engine: already running, not started by the toolchain (left alone)"
        return f"engine: running (dockerd pid {pid})"
    pid = our_pid(settings)
    if pid is None:
        installed = packages.ensure({PROCESS: "docker.io"}, settings)
        pid = _start(settings)
        started = f"started dockerd (pid {pid})"
        if installed:
            started = f"installed {', '.join(installed)}, {started}"
    else:
        started = f"dockerd (pid {pid}) was starting"
    _wait_ready(settings, pid)
    return f"engine: {started}"


def _start(settings: Settings) -> int:
    """Launch dockerd; a pid file left by a crash would make it refuse, so drop a stale one.

    Its own empty config file keeps /etc/docker/daemon.json out: a key set there and as a flag
    makes dockerd refuse to start.
    """
    settings.dockerd_pid.unlink(missing_ok=True)
    settings.data_root.mkdir(parents=True, exist_ok=True)
    (settings.cache / "daemon.json").write_text("{}\n")
    return proc.spawn(dockerd_args(settings), settings.dockerd_log, env=proc.daemon_env())


def _wait_ready(settings: Settings, pid: int) -> None:
    """Wait until `docker info` answers; a dead dockerd ends the wait at once.

    A dockerd that never answers is stopped, so no half-started engine is left behind.
    """
    if not proc.wait_for(answers, START_TIMEOUT, lambda: not proc.is_running(pid, PROCESS)):
        state = "exited" if not proc.is_running(pid, PROCESS) else "did not answer in time"
        detail = proc.log_tail(settings.dockerd_log)
        proc.stop(pid, PROCESS, STOP_TIMEOUT)
        raise ToolchainError(f"the Docker engine {state} (log {settings.dockerd_log}): {detail}")


def stop(settings: Settings) -> str:
    """Stop the dockerd that `up` started (it stops its containers and containerd first)."""
    pid = our_pid(settings)
    if pid is None:
        if answers():
            return "engine: running but not started by the toolchain (left alone)"
        return "engine: not running"
    began = time.monotonic()
    proc.stop(pid, PROCESS, STOP_TIMEOUT)
    return f"engine: stopped dockerd (pid {pid}) in {time.monotonic() - began:.1f}s"


def describe(settings: Settings) -> str:
    """One line on the engine for `status`."""
    if not answers():
        remote = remote_host()
        return (
            f"engine: not answering at {remote} (DOCKER_HOST)" if remote else "engine: not running"
        )
    info = json.loads(proc.run(["docker", "info", "--format", "{{json .}}"], timeout=20).stdout)
    remote = remote_host()
    pid = None if remote else our_pid(settings)
    owner = f"started by the toolchain, pid {pid}" if pid else "not started by the toolchain"
    where = f"at {remote} (DOCKER_HOST), " if remote else ""
    return (
        f"engine: running ({where}{owner}); server {info.get('ServerVersion')}, "
        f"storage {info.get('Driver')}, data-root {info.get('DockerRootDir')}, "
        f"containers running {info.get('ContainersRunning')}"
    )
