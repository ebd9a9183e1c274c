"""An adversarial round, each case named by the promise it checks (issue 20).

- Nothing a page starts outlives it, whatever it does with its session or environment.
- The page reaches the engine only through its own proxy, whatever path a client uses.
- A secret shows as `***`, however a terminal is made to show it.
- Bad input gets one line and exit 2, never a traceback or a hang.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.timeout(120)


def runner(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guiderunner", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        timeout=100,
        check=False,
    )


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


ESCAPES = {
    "background job": "sleep {t} &",
    "setsid": "setsid sleep {t} &",
    "setsid fork": "setsid -f sleep {t}",
    "nohup": "nohup sleep {t} > /dev/null 2>&1 &",
    "disowned": "sleep {t} & disown",
    "session marker dropped": "env -u RUNNER_SESSION setsid sleep {t} &",
    "empty environment": "env -i /bin/sleep {t} &",
    "double fork": "( (sleep {t} &) & )",
    "bash -c detached": "bash -c 'sleep {t} & disown' &",
    "python new session": (
        "python3 -c \"import subprocess; subprocess.Popen(['sleep', '{t}'], "
        'start_new_session=True, env={{}})"'
    ),
    "python double fork": (
        'python3 -c "import os, time\nif os.fork() == 0:\n    os.setsid()\n'
        "    if os.fork() == 0: os.execvp('sleep', ['sleep', '{t}'])\""
    ),
    "nice and ionice": "nice ionice -c3 sleep {t} &",
    "subshell trap ignores HUP": "(trap '' HUP; exec sleep {t}) &",
    "exec in a child bash": "bash -c 'exec -a worker sleep {t}' &",
}


@pytest.mark.parametrize("how", sorted(ESCAPES))
def test_nothing_a_page_starts_outlives_it(tmp_path: Path, how: str) -> None:
    seconds = f"{3000 + len(how)}.{uuid.uuid4().int % 10**6}"
    command = ESCAPES[how].format(t=seconds)
    page = tmp_path / "page.md"
    page.write_text(f"```console\n$ {command}\n$ sleep 0.3\n```\n")
    run = runner(tmp_path, "verify", "--no-cache", str(page))
    assert run.returncode == 0, run.stdout + run.stderr
    time.sleep(0.5)
    left = [
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and seconds.encode() in _cmdline(p)
    ]
    assert [pid for pid in left if alive(pid)] == [], f"{how}: {command}"


def _cmdline(proc: Path) -> bytes:
    try:
        return (proc / "cmdline").read_bytes()
    except OSError:
        return b""


def engine_up() -> bool:
    try:
        return (
            subprocess.run(
                ["docker", "info"], capture_output=True, timeout=20, check=False
            ).returncode
            == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


AROUND_THE_PROXY = {
    "DOCKER_HOST to the engine's socket": (
        "DOCKER_HOST=unix:///var/run/docker.sock docker volume create {v}"
    ),
    "docker -H to /run": "docker -H unix:///run/docker.sock volume create {v}",
    "docker -H to /var/run": "docker -H unix:///var/run/docker.sock volume create {v}",
    "a docker context": (
        "docker context create c{v} --docker host=unix:///var/run/docker.sock > /dev/null 2>&1"
        " && docker --context c{v} volume create {v}"
    ),
    "curl on the socket": (
        "curl -s --unix-socket /var/run/docker.sock -X POST -H 'Content-Type: application/json'"
        ' -d \'{{"Name": "{v}"}}\' http://docker/volumes/create > /dev/null && echo {v}'
    ),
    "python on the socket": (
        'python3 -c "import socket, json\ns = socket.socket(socket.AF_UNIX)\n'
        "s.connect('/run/docker.sock')\nb = json.dumps({{'Name': '{v}'}}).encode()\n"
        "s.sendall(b'POST /volumes/create HTTP/1.0\\\\r\\\\nHost: d\\\\r\\\\n"
        "Content-Type: application/json\\\\r\\\\nContent-Length: %d\\\\r\\\\n\\\\r\\\\n'"
        " % len(b) + b)\ns.recv(65536)\nprint('{v}')\""
    ),
    "a script file": "printf 'docker volume create {v}\\n' > make.sh && sh make.sh",
}


@pytest.mark.docker
@pytest.mark.parametrize("how", sorted(AROUND_THE_PROXY))
def test_the_engine_is_reached_only_through_the_pages_proxy(tmp_path: Path, how: str) -> None:
    if not engine_up():
        pytest.skip("no Docker engine answering")
    volume = f"promise-{uuid.uuid4().hex[:10]}"
    command = AROUND_THE_PROXY[how].format(v=volume)
    page = tmp_path / "page.md"
    page.write_text(f"```console\n$ {command}\n{volume}\n```\n")
    try:
        run = runner(tmp_path, "verify", "--no-cache", str(page))
        assert run.returncode == 0, run.stdout + run.stderr
        inspect = subprocess.run(
            ["docker", "volume", "inspect", volume], capture_output=True, check=False
        )
        assert inspect.returncode != 0, f"{how}: the volume outlived the page"
    finally:
        subprocess.run(["docker", "volume", "rm", "-f", volume], capture_output=True, check=False)


SECRET = "s3cr3t-v4lue-77"
SHOWN = {
    "as it is": 'echo "$API_TOKEN"',
    "in colour": 'echo "$API_TOKEN" | grep --color=always v4l',
    "bold inside": "printf 's3cr\\033[1m3t-v4\\033[0mlue-77\\n'",
    "an overwritten character": "printf 's3cX\\br3t-v4lue-77\\n'",
    "a title sequence inside": "printf 's3cr3t\\033]0;x\\007-v4lue-77\\n'",
    "inside a longer line": 'echo "key=${API_TOKEN};next"',
    "twice on a line": 'echo "$API_TOKEN $API_TOKEN"',
    "from a file": "printf '%s\\n' \"$API_TOKEN\" > f.txt && cat f.txt",
    "through a pipe": 'echo "$API_TOKEN" | cat | cat',
    "set by the page": "export MY_PASSWORD='s3cr3t-v4lue-77' && echo \"$MY_PASSWORD\"",
    "computed by the page": (
        "export OTHER_SECRET=$(printf 's3cr3t-%s' v4lue-77); echo \"$OTHER_SECRET\""
    ),
    "in an error message": "ls \"/nowhere/$API_TOKEN\" 2>&1 | sed 's/.*nowhere.//'",
}


@pytest.mark.parametrize("how", sorted(SHOWN))
def test_a_secret_shows_as_stars_however_the_terminal_shows_it(tmp_path: Path, how: str) -> None:
    page = tmp_path / "page.md"
    page.write_text(f"```console\n$ {SHOWN[how]}\n...\n```\n")
    run = runner(
        tmp_path, "verify", "--no-cache", "-v", "--json", "r.json", str(page), API_TOKEN=SECRET
    )
    assert run.returncode == 0, run.stdout + run.stderr
    everything = run.stdout + run.stderr + (tmp_path / "r.json").read_text()
    assert SECRET not in everything, how
    assert "***" in everything


BAD_INPUT = {
    "no such page": (["verify", "missing.md"], "no such page"),
    "a folder as a page": (["verify", "folder"], "not a regular file"),
    "a bad -j": (["verify", "-j", "0", "page.md"], "-j"),
    "a negative -j": (["verify", "-j", "-2", "page.md"], "-j"),
    "a word as -j": (["verify", "-j", "many", "page.md"], "-j"),
    "a bad shard": (["verify", "--shard", "3/2", "page.md"], "shard"),
    "a shard of zero": (["verify", "--shard", "0/2", "page.md"], "shard"),
    "a --set without a value": (["verify", "--set", "novalue", "page.md"], "--set"),
    "an unknown builder": (["verify", "--builder", "buildx", "page.md"], "builder"),
    "a missing config": (["verify", "--config", "none.yml", "page.md"], "none.yml"),
    "an invalid config": (["verify", "--config", "bad.yml", "page.md"], "bad.yml"),
    "an unknown setting": (["verify", "--config", "unknown.yml", "page.md"], "unknown.yml"),
    "a NaN timeout": (["verify", "--timeout", "nan", "page.md"], "--timeout"),
    "an infinite timeout": (["verify", "--timeout", "inf", "page.md"], "--timeout"),
    "a zero timeout": (["verify", "--timeout", "0", "page.md"], "--timeout"),
    "a Latin-1 page": (["verify", "latin1.md"], "line 2, column 4"),
    "an unknown directive": (["verify", "directive.md"], "directive.md:1:"),
    "an unclosed fence": (["list", "unclosed.md"], "unclosed.md"),
    "an unknown sub-command": (["frobnicate"], ""),
    "a step past the end": (["step", "page.md", "--from", "99"], ""),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_gets_one_line_and_exit_2(tmp_path: Path, case: str) -> None:
    (tmp_path / "page.md").write_text("```console\n$ echo hi\nhi\n```\n")
    (tmp_path / "folder").mkdir()
    (tmp_path / "bad.yml").write_text("plugins:\n\t- runner\n")
    (tmp_path / "unknown.yml").write_text("plugins:\n  - runner:\n      colour: blue\n")
    (tmp_path / "latin1.md").write_bytes(b"# T\nCaf\xe9\n")
    (tmp_path / "directive.md").write_text("<!-- runner: nonsense -->\n```console\n$ true\n```\n")
    (tmp_path / "unclosed.md").write_text("```console\n$ echo hi\n")
    args, named = BAD_INPUT[case]
    run = runner(tmp_path, *args)
    assert "Traceback" not in run.stderr + run.stdout
    assert run.returncode == 2, run.stdout + run.stderr
    assert named in run.stderr
