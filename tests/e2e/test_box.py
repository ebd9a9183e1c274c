"""A page runs in the kernel's box: nothing it starts escapes; it sees Docker only via its proxy.

Real bash, the real engine, real namespaces. Processes are told apart by a token in their
command line (a PID written inside the box is the box's own numbering), and each page checks
that what it started was running, so a process that never started cannot pass for one stopped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.test_verify import processes_with, start_runner

pytestmark = pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux unshare")
NOTICE = "runner: no namespaces here"


def run_cli(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guiderunner", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def gone(token: str, wait: float = 5.0) -> bool:
    deadline = time.monotonic() + wait
    while processes_with(token) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not processes_with(token)


def layers() -> set[Path]:
    """The boxes' overlay layers folders on this machine (run/box/namespace.layers_folder)."""
    return {
        *Path("/dev/shm").glob("runner-box-*"),
        *Path(tempfile.gettempdir()).glob("runner-box-*"),
    }


def docker_has(kind: str, name: str) -> bool:
    done = subprocess.run(["docker", kind, "inspect", name], capture_output=True, check=False)
    return done.returncode == 0


def an_image() -> str:
    """A small image already on the engine (the stand-ins), never pulled."""
    done = subprocess.run(
        ["docker", "images", "--format", "{{.Repository}}:{{.Tag}} {{.Size}}"],
        capture_output=True,
        text=True,
        check=True,
    )
    named = [line.split()[0] for line in done.stdout.splitlines() if "<none>" not in line]
    if not named:
        pytest.skip("no image on the engine")
    return named[0]


ESCAPES = """
# Processes that leave their session and their marker

```console
$ env -u RUNNER_SESSION setsid sleep {t}1 > /dev/null 2>&1 &
$ (setsid sh -c 'sleep {t}2 & exit' &)
$ python3 -c 'import subprocess as s; s.Popen(["sleep", "{t}3"], env={{}}, start_new_session=True)'
$ nohup sleep {t}4 > /dev/null 2>&1 & disown
$ env -i /bin/sh -c 'setsid sleep {t}5 > /dev/null 2>&1 &'
$ sleep 0.3; for n in 1 2 3 4 5; do pgrep -f "sleep {t}$n" > pid$n && echo "running $n"; done
running 1
running 2
running 3
running 4
running 5
$ tr '\\0' ' ' < /proc/1/cmdline | cut -c1-5
sh -c
```
"""

SERVICE = """
# A service's detached process

<!-- runner: service=web ready="Serving HTTP" ready-timeout=20 -->
```console
$ setsid -f env -u RUNNER_SESSION sleep {t}; python3 -m http.server 0 --bind 127.0.0.1
...
```

```console
$ pgrep -f "sleep {t}" > /dev/null && echo "the service's sleep is in the page's box"
the service's sleep is in the page's box
```

<!-- runner: stop=web -->
"""


def test_a_service_joins_the_page_box_and_what_it_detaches_ends_with_it(tmp_path: Path) -> None:
    token = f"9{os.getpid()}5"
    page = tmp_path / "service.md"
    page.write_text(SERVICE.format(t=token).lstrip())
    done = run_cli(tmp_path, "verify", "--no-cache", str(page))
    assert done.returncode == 0, done.stdout + done.stderr
    assert gone(f"sleep {token}", wait=2.0), processes_with(f"sleep {token}")


def test_processes_that_drop_their_marker_or_session_end_with_the_page(tmp_path: Path) -> None:
    token = f"9{os.getpid()}7"
    page = tmp_path / "escapes.md"
    page.write_text(ESCAPES.format(t=token).lstrip())
    done = run_cli(tmp_path, "verify", "--no-cache", str(page))
    assert done.returncode == 0, done.stdout + done.stderr
    assert NOTICE not in done.stderr
    assert gone(f"sleep {token}", wait=2.0), processes_with(f"sleep {token}")


def test_a_runner_killed_with_sigkill_leaves_no_process_of_its_box(
    page: Callable[[str], Path], tmp_path: Path
) -> None:
    unique = f"sleep {os.getpid()}8"
    path = page(
        f"```console\n$ env -u RUNNER_SESSION setsid {unique}1 > /dev/null 2>&1 < /dev/null &\n"
        f"...\n$ {unique}2\n```\n"
    )
    before = layers()
    proc = start_runner(tmp_path, "verify", str(path), waiting_for=f"{unique}2")
    assert processes_with(f"{unique}1")
    proc.kill()  # no cleanup of its own: the kernel ends the box when its terminal goes
    proc.wait()
    assert gone(unique)
    left = layers() - before
    assert left, "the box's layers wait for runner reset"
    reset = start_runner(tmp_path, "reset")
    reset.communicate(timeout=60)
    assert reset.returncode == 0
    # Other tests' runs beside this one may have made layers since `before`: theirs go when
    # they end; the killed run's would stay for ever. Wait (bounded) for all of them to go.
    deadline = time.monotonic() + 60
    while left & layers() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left & layers()


AROUND_THE_PROXY = """
# Clients that go around DOCKER_HOST

```console
$ export DOCKER_HOST=unix:///var/run/docker.sock
$ docker volume create {s}-a
{s}-a
$ unset DOCKER_HOST
$ docker -H unix:///var/run/docker.sock network create {s}-b > /dev/null && echo made
made
$ docker -H unix:///run/docker.sock create --name {s}-c {image} true > /dev/null && echo made
made
$ docker context create {s}-x --docker host=unix:///var/run/docker.sock > /dev/null 2>&1
$ docker --context {s}-x volume create {s}-d
{s}-d
$ curl -s --unix-socket /var/run/docker.sock -H 'Content-Type: application/json' \\
>   -d '{{"Name": "{s}-e"}}' http://engine/volumes/create | grep -c '"Name":"{s}-e"'
1
```
"""


def test_clients_around_the_proxy_are_recorded_and_removed(tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.skip("needs curl")
    stem = f"sk-box-{os.getpid()}"
    page = tmp_path / "around.md"
    page.write_text(AROUND_THE_PROXY.format(s=stem, image=an_image()).lstrip())
    made = [("volume", "a"), ("network", "b"), ("container", "c"), ("volume", "d"), ("volume", "e")]
    try:
        done = run_cli(tmp_path, "verify", "--no-cache", str(page))
        assert done.returncode == 0, done.stdout + done.stderr
        left = [f"{stem}-{n}" for kind, n in made if docker_has(kind, f"{stem}-{n}")]
        assert left == []
    finally:
        for kind, n in made:
            subprocess.run(["docker", kind, "rm", f"{stem}-{n}"], capture_output=True, check=False)


SCRIPT_ONLY = """
# A page that never says the word

```sh title="build.sh"
docker volume create {s}-v > /dev/null
docker create --name {s}-c {image} true > /dev/null
echo built
```

```console
$ sh build.sh
built
```
"""


def test_a_page_whose_docker_is_in_a_script_leaves_nothing(tmp_path: Path) -> None:
    stem = f"sk-box-script-{os.getpid()}"
    page = tmp_path / "script.md"
    page.write_text(SCRIPT_ONLY.format(s=stem, image=an_image()).lstrip())
    try:
        done = run_cli(tmp_path, "verify", "--no-cache", str(page))
        assert done.returncode == 0, done.stdout + done.stderr
        assert not docker_has("volume", f"{stem}-v")
        assert not docker_has("container", f"{stem}-c")
    finally:
        subprocess.run(["docker", "rm", f"{stem}-c"], capture_output=True, check=False)
        subprocess.run(["docker", "volume", "rm", f"{stem}-v"], capture_output=True, check=False)


FAKE_RUSTUP = """#!/bin/sh
toolchains="${RUSTUP_HOME:-$HOME/.rustup}/toolchains"
[ -d "$toolchains/stable" ] || { echo "error: rustup could not choose a version" >&2; exit 1; }
date > "${RUSTUP_HOME:-$HOME/.rustup}/last-used"
echo "$(basename "$0") 1.99.0 (fake)"
"""

TOOLCHAIN_PAGE = """
# Rust from the reader's rustup

```console
$ rustc --version
rustc 1.99.0 (fake)
$ cargo --version
cargo 1.99.0 (fake)
$ touch ~/.cargo/bin/made-by-the-page && ls ~/.cargo/bin | sort
cargo
made-by-the-page
rustc
```
"""


def listing(folder: Path) -> list[tuple[str, int, int]]:
    """Every path under `folder` with its size and modification time (nanoseconds)."""
    return sorted(
        (str(p.relative_to(folder)), p.lstat().st_size, p.lstat().st_mtime_ns)
        for p in [folder, *folder.rglob("*")]
    )


def fake_home(root: Path) -> Path:
    home = root / "reader-home"
    (home / ".rustup" / "toolchains" / "stable").mkdir(parents=True)
    (home / ".cargo" / "bin").mkdir(parents=True)
    for tool in ("rustc", "cargo"):
        (home / ".cargo" / "bin" / tool).write_text(FAKE_RUSTUP)
        (home / ".cargo" / "bin" / tool).chmod(0o755)
    return home


def test_rustup_toolchains_resolve_in_the_page_and_nothing_is_written_there(tmp_path: Path) -> None:
    home = fake_home(tmp_path)
    before = {name: listing(home / name) for name in (".rustup", ".cargo")}
    page = tmp_path / "rust.md"
    page.write_text(TOOLCHAIN_PAGE.lstrip())
    path = f"{home / '.cargo' / 'bin'}{os.pathsep}{os.environ['PATH']}"
    done = run_cli(
        tmp_path, "verify", "--no-cache", str(page), env={"HOME": str(home), "PATH": path}
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert {name: listing(home / name) for name in (".rustup", ".cargo")} == before


def test_a_failure_the_scratch_home_could_cause_says_so(tmp_path: Path) -> None:
    page = tmp_path / "missing.md"
    page.write_text("# Missing\n\n```console\n$ no-such-tool-in-home --version\n1.0\n```\n")
    done = run_cli(tmp_path, "verify", "--no-cache", str(page))
    assert done.returncode == 1
    assert "hint: the page runs with a scratch HOME" in done.stdout


PLAIN = """
# A plain page

```console
$ echo hello from $(id -un)
hello from nobody
$ (env -u RUNNER_SESSION setsid sleep {t} > /dev/null 2>&1 &)
```
"""


def test_a_normal_user_runs_boxed_by_a_user_namespace_or_says_once_it_cannot(
    tmp_path: Path,
) -> None:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root to become another user")
    python = shutil.which("python3", path="/usr/bin:/bin")
    site = next((ROOT / ".venv" / "lib").glob("python3*/site-packages"), None)
    if site is None:
        site = next(Path(sys.prefix, "lib").glob("python3*/site-packages"), None)
    if python is None or site is None:
        pytest.skip("no system python3 for another user")
    token = f"9{os.getpid()}6"
    shared = Path(os.environ.get("TMPDIR", "/tmp")) / f"runner-nonroot-{os.getpid()}"
    (shared / "home").mkdir(parents=True)
    try:
        (shared / "plain.md").write_text(PLAIN.format(t=token).lstrip())
        os.chown(shared / "home", 65534, 65534)
        shared.chmod(0o755)
        argv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", python]
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(shared / "home"),
            "PYTHONPATH": f"{ROOT}{os.pathsep}{site}",
        }
        probe = subprocess.run(
            [*argv, "-c", "import guiderunner.cli.main"], env=env, capture_output=True, check=False
        )
        if probe.returncode != 0:
            pytest.skip(f"the system python3 cannot import the runner: {probe.stderr[-200:]!r}")
        done = subprocess.run(
            [*argv, "-m", "guiderunner", "verify", "--no-cache", str(shared / "plain.md")],
            cwd=shared,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        boxed = (
            subprocess.run(
                [*argv[:-1], "unshare", "--user", "--map-root-user", "--pid", "--fork", "true"],
                capture_output=True,
                check=False,
            ).returncode
            == 0
        )
        assert done.stderr.count(NOTICE) == (0 if boxed else 1), done.stderr
        if boxed:
            assert gone(f"sleep {token}", wait=2.0)
    finally:
        for pid in processes_with(f"sleep {token}"):
            os.kill(pid, 9)
        shutil.rmtree(shared, ignore_errors=True)


def test_a_machine_without_namespaces_says_so_once_and_runs_as_before(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.md").write_text(
            f"# {name}\n\n```console\n$ echo {name}\n{name}\n```\n"
        )
    pages = [str(tmp_path / "a.md"), str(tmp_path / "b.md")]
    done = run_cli(tmp_path, "verify", "--no-cache", *pages, env={"RUNNER_BOX": "off"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr.count(NOTICE) == 1, done.stderr
    assert len([line for line in done.stderr.splitlines() if line.strip()]) == 1
