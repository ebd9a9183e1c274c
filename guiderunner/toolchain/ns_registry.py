"""A private registry inside a second engine's network namespace, for the pages of its shard.

The guide pushes to `localhost:5050` (the main toolchain's registry, on the host's loopback).
Inside the namespace, localhost is the namespace's own loopback, so the shard that runs there
gets a registry of its own on the same port: the same Debian docker-registry and the same
configuration as the main one (guiderunner.toolchain.registry), with its data in the engine's
folder, gone with it. Its engine trusts it as the main engine trusts the main one
(127.0.0.0/8 needs no TLS).
"""

from __future__ import annotations

from pathlib import Path

from guiderunner.toolchain import proc, registry
from guiderunner.toolchain.errors import ToolchainError
from guiderunner.toolchain.netns import Netns
from guiderunner.toolchain.settings import Settings

START_TIMEOUT = 30.0


def start(ns: Netns, folder: Path, port: int) -> int:
    """Start it on 127.0.0.1:`port` in the namespace and wait until GET /v2/ answers there."""
    settings = Settings(cache=folder, registry_port=port)
    (settings.registry_dir / "data").mkdir(parents=True, exist_ok=True)
    config = settings.registry_dir / "config.yml"
    config.write_text(registry.config_text(settings))
    log = folder / "registry.log"
    pid = proc.spawn([*ns.enter(), registry.PROCESS, "serve", str(config)], log, proc.daemon_env())

    def gone() -> bool:
        return not (proc.is_running(pid, registry.PROCESS) or proc.is_running(pid, "nsenter"))

    if not proc.wait_for(lambda: answers(ns, port), START_TIMEOUT, gone):
        raise ToolchainError(
            f"the registry in namespace {ns.netns} did not answer on port {port}: "
            f"{proc.log_tail(log)}"
        )
    return pid


def answers(ns: Netns, port: int) -> bool:
    """Whether GET /v2/ answers on the namespace's loopback."""
    probe = [*ns.enter(), "curl", "-sf", "-o", "/dev/null", f"http://127.0.0.1:{port}/v2/"]
    return proc.run(probe, timeout=10, check=False).returncode == 0
