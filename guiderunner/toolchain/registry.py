"""A private registry: Debian's docker-registry (Distribution 2.8) on 127.0.0.1, plain HTTP.

Docker trusts registries on 127.0.0.0/8 without TLS ("Insecure Registries" in `docker info`),
so `docker push localhost:PORT/...` needs no daemon setting.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from guiderunner.toolchain import packages, proc
from guiderunner.toolchain.errors import ToolchainError
from guiderunner.toolchain.settings import Settings

PROCESS = "docker-registry"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 20.0


HEALTH = """\
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
"""


def distribution_config(root: str, addr: str, *, log_level: str = "", health: str = "") -> str:
    """A Distribution registry's config: data under `root`, deletes allowed, no auth.

    The toolchain's own registry and the `registry:2` stand-in (guiderunner.toolchain.extras) are
    the same program configured the same way; only where they keep data and listen differs,
    plus the host registry's log level and storage health check.
    """
    level = f"  level: {log_level}\n" if log_level else ""
    return f"""\
version: 0.1
log:
{level}  fields:
    service: registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: {root}
  delete:
    enabled: true
http:
  addr: {addr}
  headers:
    X-Content-Type-Options: [nosniff]
{health}"""


def config_text(settings: Settings) -> str:
    """The registry's config: loopback only, data in the cache, deletes allowed, no auth."""
    data = settings.registry_dir / "data"
    addr = f"127.0.0.1:{settings.registry_port}"
    return distribution_config(str(data), addr, log_level="info", health=HEALTH)


def url(settings: Settings) -> str:
    """The registry's API root."""
    return f"http://127.0.0.1:{settings.registry_port}/v2/"


def answers(settings: Settings) -> bool:
    """Whether GET /v2/ answers like a Distribution registry."""
    try:
        with urllib.request.urlopen(url(settings), timeout=3) as response:  # noqa: S310
            version: str | None = response.headers.get("Docker-Distribution-Api-Version")
            return version == "registry/2.0"
    except (urllib.error.URLError, OSError):
        return False


def our_pid(settings: Settings) -> int | None:
    """The pid of the registry that `up` started, if it still runs."""
    pid = proc.read_pid(settings.registry_pid)
    return pid if proc.is_running(pid, PROCESS) else None


def ensure(settings: Settings) -> str:
    """Run the registry on the configured port, restarting ours if its config changed."""
    config = settings.registry_dir / "config.yml"
    text = config_text(settings)
    changed = not config.is_file() or config.read_text() != text
    pid = our_pid(settings)
    where = f"127.0.0.1:{settings.registry_port}"
    if pid is not None and not changed and answers(settings):
        return f"registry: running on {where} (pid {pid})"
    if pid is not None:
        proc.stop(pid, PROCESS, STOP_TIMEOUT)
    elif answers(settings):
        return f"registry: one not started by the toolchain answers on {where} (left alone)"
    installed = packages.ensure({PROCESS: "docker-registry"}, settings)
    config.write_text(text)
    pid = _start(settings, config)
    note = f", installed {', '.join(installed)}" if installed else ""
    return f"registry: started on {where} (pid {pid}{note})"


def _start(settings: Settings, config: Path) -> int:
    """Launch docker-registry detached, record its pid, wait until GET /v2/ answers."""
    (settings.registry_dir / "data").mkdir(parents=True, exist_ok=True)
    pid = proc.spawn([PROCESS, "serve", str(config)], settings.registry_log, proc.daemon_env())
    settings.registry_pid.write_text(f"{pid}\n")
    if not proc.wait_for(
        lambda: answers(settings), START_TIMEOUT, lambda: not proc.is_running(pid, PROCESS)
    ):
        detail = proc.log_tail(settings.registry_log)
        proc.stop(pid, PROCESS, STOP_TIMEOUT)
        raise ToolchainError(f"the registry did not answer on {url(settings)}: {detail}")
    return pid


def stop(settings: Settings) -> str:
    """Stop the registry that `up` started; its data stays in the cache."""
    pid = our_pid(settings)
    settings.registry_pid.unlink(missing_ok=True)
    if pid is None:
        return "registry: not running (none started by the toolchain)"
    proc.stop(pid, PROCESS, STOP_TIMEOUT)
    return f"registry: stopped (pid {pid})"


def describe(settings: Settings) -> str:
    """One line on the registry for `status`."""
    pid = our_pid(settings)
    where = f"127.0.0.1:{settings.registry_port}"
    if answers(settings):
        owner = f"pid {pid}" if pid else "not started by the toolchain"
        return f"registry: running on {where} ({owner}), data {settings.registry_dir / 'data'}"
    return f"registry: not answering on {where}" + (f" (pid {pid} alive)" if pid else "")
