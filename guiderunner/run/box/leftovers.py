"""What runs leave behind, recorded so that `runner reset` removes ours and nothing else.

Two kinds of leftovers: workspaces kept on purpose (`verify --keep-workspace`), and what a
`runner verify` page or `runner step` session had running when it was killed before it could
clean up (SIGKILL, a closed laptop): its processes, found by their RUNNER_SESSION marker,
the Docker objects it created (from its ownership's record), and its workspace. A session
is recorded while it runs with its owner's pid and that process's start time, so a live
session (or a new process that reused the pid) is never touched. The record is
`${XDG_STATE_HOME:-~/.local/state}/stockkube-runner/leftovers.json`. A Docker record that no
live session points to (its removal failed at the end of the page, or its session entry was
lost) is retried by `reset` too, and deleted once everything it lists is gone.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from guiderunner.run.box.namespace import remove_layers
from guiderunner.run.box.processes import kill_session, process_start, session_processes
from guiderunner.run.box.workspace import PREFIX as WORKSPACE_PREFIX

STATE_NAME = "stockkube-runner"
RECORD = "leftovers.json"


@dataclass(frozen=True, slots=True)
class Session:
    """A page being run (by `verify`, `step` or `update`: run.lifecycle), while it runs."""

    nonce: str
    """Its RUNNER_SESSION marker: every process of its shell carries it."""
    pid: int
    """The runner process that owns it."""
    started: str
    """That process's start time (from /proc), so that a reused pid is not taken for it."""
    workspace: str
    """Its workspace, removed when the session is gone."""
    docker_record: str | None = None
    """The file where its Docker ownership writes each object the page creates."""


def record_dir(environ: Mapping[str, str]) -> Path:
    """`${XDG_STATE_HOME:-~/.local/state}/stockkube-runner`."""
    base = environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / STATE_NAME


def docker_record(folder: Path, nonce: str) -> Path:
    """Where the Docker ownership of session `nonce` writes what the page creates."""
    return folder / f"docker-{nonce}.jsonl"


def keep_workspace(folder: Path, workspace: Path) -> None:
    """Record a workspace kept on purpose."""
    with _record(folder) as data:
        kept = data.setdefault("workspaces", [])
        if str(workspace) not in kept:
            kept.append(str(workspace))


def open_session(folder: Path, nonce: str, workspace: Path) -> Session:
    """Record a session of this process; `close_session` forgets it when it ends cleanly."""
    session = Session(
        nonce,
        os.getpid(),
        process_start(os.getpid()) or "",
        str(workspace),
    )
    save_session(folder, session)
    return session


def save_session(folder: Path, session: Session) -> None:
    """Record (or update) a session."""
    with _record(folder) as data:
        sessions = data.setdefault("sessions", {})
        sessions[session.nonce] = asdict(session)


def close_session(folder: Path, nonce: str) -> None:
    """Forget a session that cleaned up after itself."""
    with _record(folder) as data:
        data.setdefault("sessions", {}).pop(nonce, None)


def owner_alive(session: Session) -> bool:
    """Is the process that recorded the session still that same process?"""
    return process_start(session.pid) == session.started


# --- reset -----------------------------------------------------------------------------------


def reset(folder: Path) -> list[str]:
    """Remove what the record lists and nobody owns any more; one line per thing removed."""
    done: list[str] = []
    with _record(folder) as data:
        for path in data.get("workspaces", []):
            done += _remove_workspace(Path(path))
        data["workspaces"] = []
        sessions = data.get("sessions", {})
        known = [_session(fields) for fields in sessions.values()]
        pointed = {Path(s.docker_record) for s in known if s is not None and s.docker_record}
        for nonce, fields in list(sessions.items()):
            session = _session(fields)
            if session is not None and owner_alive(session):
                done.append(f"left alone: the run of process {session.pid} (still running)")
                continue
            sessions.pop(nonce)
            if session is not None:
                done += _remove_session(session)
        for path in sorted(folder.glob(docker_record(folder, "*").name)):
            if path not in pointed:
                done += _docker_lines(path)
    from guiderunner.run.docker.claims import claims_folder, drop_dead  # only reset drops claims

    if dropped := drop_dead(claims_folder()):
        done.append(f"let go of {dropped} claim(s) on Docker names and ports held by dead runs")
    return done


def _docker_lines(record: Path) -> list[str]:
    """Remove what a Docker record lists; one line per object removed, or kept on failure."""
    from guiderunner.run.docker.owned import remove_recorded  # only reset needs the engine

    removal = remove_recorded(record)
    return [f"removed {name}" for name in removal.removed] + [
        f"could not remove {name}" for name in removal.failed
    ]


def _remove_session(session: Session) -> list[str]:
    done = []
    remove_layers(session.nonce)
    stopped = session_processes(session.nonce)
    kill_session(session.nonce)
    if stopped:
        done.append(f"stopped {len(stopped)} process(es) left by the run of process {session.pid}")
    if session.docker_record is not None:
        done += _docker_lines(Path(session.docker_record))
    return done + _remove_workspace(Path(session.workspace))


def _remove_workspace(workspace: Path) -> list[str]:
    """Remove a workspace's temporary folder, only when it is one of ours."""
    root = workspace.parent
    in_temp = root.parent.resolve() == Path(tempfile.gettempdir()).resolve()
    if not (root.name.startswith(WORKSPACE_PREFIX) and in_temp and root.is_dir()):
        return []
    shutil.rmtree(root, ignore_errors=True)
    return [f"removed workspace {root}"]


def _session(fields: object) -> Session | None:
    if not isinstance(fields, dict):
        return None
    try:
        session = Session(**fields)
    except TypeError:
        return None
    return session


@contextlib.contextmanager
def _record(folder: Path) -> Iterator[dict[str, Any]]:
    """The record, locked against other runs, written back atomically on the way out."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        path = folder / RECORD
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        data = data if isinstance(data, dict) else {}
        yield data
        temporary = folder / f".{RECORD}.{os.getpid()}"
        temporary.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        temporary.replace(path)
