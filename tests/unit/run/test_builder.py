"""Which Docker client a page builds with, against fake `docker` scripts on a temporary PATH."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

from guiderunner.errors import ExitCode, MissingPiece
from guiderunner.run.docker import builder
from guiderunner.run.docker.builder import BuilderLayer, chosen_client, docker_clients

FAKE = """\
#!/bin/sh
# A fake docker client: its version, and a buildx plugin when one is installed.
echo "$0 $*" >>"{log}"
case "$1" in
  --version) echo "Docker version {version}, build fake" ;;
  buildx)
    plugin="${{DOCKER_CONFIG:-$HOME/.docker}}/cli-plugins/docker-buildx"
    if [ "{buildx}" = yes ] || [ -x "$plugin" ]; then echo "github.com/docker/buildx v0.12.1"
    else echo "docker: unknown command: docker buildx" >&2; exit 1; fi ;;
  *) exit 0 ;;
esac
"""


@pytest.fixture(autouse=True)
def _fresh_probes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test asks its clients anew (probes are cached for the process)."""
    monkeypatch.setattr(builder, "_PROBED", {})


def fake_docker(folder: Path, version: str, *, buildx: bool = False) -> Path:
    """A `docker` script in `folder` answering as a client of `version` would."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "docker"
    log = folder.parent / "calls.log"
    text = FAKE.format(log=log, version=version, buildx="yes" if buildx else "no")
    script.write_text(textwrap.dedent(text), encoding="utf-8")
    script.chmod(0o755)
    return script


def path_of(*folders: Path) -> str:
    return os.pathsep.join(str(f) for f in folders)


@pytest.fixture
def machine(tmp_path: Path) -> dict[str, Path]:
    """This machine's situation: a new client without buildx first, Debian's 20.10 after."""
    return {
        "new": fake_docker(tmp_path / "usr-local-bin", "28.2.2").parent,
        "old": fake_docker(tmp_path / "usr-bin", "20.10.24+dfsg1").parent,
        "workspace": tmp_path / "scratch" / "workspace",
        "home": tmp_path / "home",
    }


def page_env(machine: dict[str, Path], *folders: Path) -> dict[str, str]:
    machine["workspace"].mkdir(parents=True, exist_ok=True)
    return {"PATH": path_of(*folders, Path("/usr/bin/nonexistent")), "HOME": str(machine["home"])}


def test_buildkit_puts_the_older_client_first_through_a_private_bin(machine):
    env = page_env(machine, machine["new"], machine["old"])
    added = BuilderLayer("buildkit")(machine["workspace"], env)
    assert added["DOCKER_BUILDKIT"] == "1"
    first, rest = added["PATH"].split(os.pathsep, 1)
    assert rest == env["PATH"]  # the user's PATH, untouched, after the private folder
    link = Path(first) / "docker"
    assert link.resolve() == (machine["old"] / "docker").resolve()
    assert Path(first).parent == machine["workspace"].parent  # beside the workspace, not in it
    assert not any(machine["workspace"].iterdir())
    assert shutil.which("docker", path=added["PATH"]) == str(link)


def test_legacy_keeps_the_first_client_and_the_path(machine):
    env = page_env(machine, machine["new"], machine["old"])
    added = BuilderLayer("legacy")(machine["workspace"], env)
    assert added == {"DOCKER_BUILDKIT": "0"}
    assert not (machine["workspace"].parent / builder.BIN_FOLDER).exists()


def test_a_client_with_buildx_is_used_for_buildkit_as_it_is(machine, tmp_path):
    with_buildx = fake_docker(tmp_path / "opt-bin", "28.2.2", buildx=True).parent
    env = page_env(machine, with_buildx, machine["old"])
    assert BuilderLayer("buildkit")(machine["workspace"], env) == {"DOCKER_BUILDKIT": "1"}
    assert chosen_client("buildkit", env).path == str(with_buildx / "docker")


def test_a_buildx_plugin_in_the_docker_config_counts(machine):
    env = page_env(machine, machine["new"], machine["old"])
    plugins = machine["home"] / ".docker" / "cli-plugins"
    plugins.mkdir(parents=True)
    (plugins / "docker-buildx").write_text("#!/bin/sh\n", encoding="utf-8")
    (plugins / "docker-buildx").chmod(0o755)
    assert chosen_client("buildkit", env).path == str(machine["new"] / "docker")


def test_no_client_able_to_use_buildkit_is_a_missing_piece(machine):
    env = page_env(machine, machine["new"])
    with pytest.raises(MissingPiece) as raised:
        BuilderLayer("buildkit")(machine["workspace"], env)
    message = str(raised.value)
    assert "\n" not in message
    assert "28.2.2" in message
    assert "buildx" in message
    assert "--builder legacy" in message
    assert BuilderLayer("legacy")(machine["workspace"], env) == {"DOCKER_BUILDKIT": "0"}


def test_the_same_binary_twice_on_path_is_one_client(machine, tmp_path):
    alias = tmp_path / "bin-alias"
    alias.symlink_to(machine["old"])
    clients = docker_clients(page_env(machine, machine["old"], alias, machine["new"]))
    assert [c.version for c in clients] == ["20.10.24+dfsg1", "28.2.2"]


def test_each_client_is_asked_once_per_process(machine):
    env = page_env(machine, machine["new"], machine["old"])
    log = machine["new"].parent / "calls.log"
    docker_clients(env)
    asked = log.read_text(encoding="utf-8")
    docker_clients(env)
    assert log.read_text(encoding="utf-8") == asked
    assert asked.count("--version") == 2


def test_a_page_that_cannot_build_stops_with_exit_3_and_one_line(
    runner, page, monkeypatch, tmp_path, fake_engine
):
    tools = tmp_path / "tools"
    fake_docker(tools, "28.2.2")
    for tool in ("bash", "setsid"):
        (tools / tool).symlink_to(shutil.which(tool) or f"/usr/bin/{tool}")
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setenv("DOCKER_HOST", fake_engine)
    path = page("```console\n$ docker build -t x .\n```\n")
    done = runner("verify", "--builder", "buildkit", path)
    assert done.status == ExitCode.ENVIRONMENT
    assert done.err.count("\n") == 1
    assert "install the buildx plugin" in done.err
