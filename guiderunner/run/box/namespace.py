"""The kernel's box around a page: a PID and a mount namespace of its own.

Everything a page starts, its bash and its services' terminals, lives in one PID namespace,
whatever it does with its environment or session (`env -u`, `setsid`, a double fork, `nohup`,
`disown`): the kernel does not let a process leave its PID namespace, and when the namespace's
first process ends, the kernel kills every other one. That first process is a plain `sh` that
makes the mounts and then waits for the page's bash, reaping orphans meanwhile; bash is not
PID 1, so signals reach it as in a terminal.

The same box has a private mount namespace: the page's Docker proxy socket is bind-mounted over
the engine's socket paths, so every client finds the proxy wherever it looks, and the reader's
toolchain folders are overlaid in place, so the page finds them and writes only to an upper
layer of its own (guiderunner.run.box.home says which folders).

As root, `unshare` and `nsenter` make and join it. As another user, a user namespace maps the
user to root for the mounts, then back to itself, so `id` says what it says in a terminal. Where
neither works (or RUNNER_BOX=off), one line on stderr says so, once, and pages run as before:
processes found by their marker variable (guiderunner.run.box.processes), Docker through the
page's DOCKER_HOST only.
"""

from __future__ import annotations

import contextlib
import os
import select
import shlex
import shutil
import signal
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from guiderunner.closing import Closing
from guiderunner.run.box.mode import box_mode, create_command

WAIT = 5.0  # seconds the box's first process gets to appear, and to be gone at the end
MOUNT_FAILED = 125  # the box's exit status when a mount cannot be made: no page runs unboxed
OVERLAY_UNSAFE = frozenset(",:\\")  # characters an overlay's option string cannot carry
WHY = "why"  # the file in the layers folder where the box says why it could not be made
FAST_FOLDER = Path("/dev/shm")  # tmpfs: an overlay's layers go in 1 ms, not 40 as on ext4


@dataclass(frozen=True, slots=True)
class Mount:
    """One mount of a page's box."""

    source: Path
    """What is shown: a socket (bind) or a folder (overlay: its lower layer)."""
    target: Path
    """Where it is shown; it must exist (nothing is created outside the page's folders)."""
    overlay: bool = False
    """An overlay in place whose writes stay in the box (read-only bind when overlays fail)."""


class Box(Closing):
    """One page's namespaces: the first terminal makes them, later ones join them."""

    def __init__(self, mode: str, mounts: Sequence[Mount], layers: Path) -> None:
        self.mode = mode
        self.mounts = tuple(mounts)
        self._layers = layers
        """A private folder for the overlays' upper and work layers."""
        self._launcher: int | None = None
        self._init: int | None = None
        self._started: bytes | None = None

    def command(self, argv: Sequence[str]) -> list[str]:
        """`argv` run inside the box: the first command makes it, the next ones enter it."""
        back = ["unshare", f"--map-user={os.geteuid()}", f"--map-group={os.getegid()}", "--"]
        back = back if self.mode == "user" else []
        if self._launcher is None:
            # Not the script's last command: no shell may exec it in place, `sh` stays PID 1.
            script = f'{self._mount_script()}{" ".join(back)} "$@"; exit "$?"'
            return [*create_command(self.mode), "sh", "-c", script, "sh", *argv]
        user = ["--user", "--preserve-credentials"] if self.mode == "user" else []
        enter = ["nsenter", f"--target={self.init}", *user, "--pid", "--mount", "--"]
        return [*enter, *back, *argv]

    def started(self, pid: int) -> None:
        """The process that ran `command`'s result; the first one makes the box.

        Its child, the box's first process, is named at once with its start time, so that the
        end never signals a process that merely reuses its number.
        """
        if self._launcher is None:
            self._launcher = pid
            self._init = _child_of(pid)
            self._started = _start_time(self._init) if self._init is not None else None

    @property
    def init(self) -> int:
        """The box's first process (its PID outside the box)."""
        assert self._init is not None, "the box has no process"
        return self._init

    def _mount_script(self) -> str:
        """Every mount by one `mount -a` on a table of the box's own (one exec, not one each).

        Overlays are `volatile` (nothing is synced to a layer thrown away). Should the table
        fail, each mount is tried alone: an overlay, else a read-only bind; a mount that cannot
        be made at all ends the box before the page runs.
        """
        if not self.mounts:
            return ""
        table, one_by_one = [], []
        for number, mount in enumerate(self.mounts):
            source, target = shlex.quote(str(mount.source)), shlex.quote(str(mount.target))
            bind = f"mount --bind {source} {target}"
            row = [str(mount.source), str(mount.target), "none", "bind"]
            if mount.overlay:
                bind = f"mount --bind -o ro {source} {target}"
                row[3] = "bind,ro"
                if not OVERLAY_UNSAFE & set(str(mount.source) + str(self._layers)):
                    options = self._layers_for(number, mount.source)
                    row = ["overlay", str(mount.target), "overlay", f"{options},volatile"]
                    overlay = f"mount -t overlay overlay -o {shlex.quote(options)} {target}"
                    bind = f"{{ {overlay} 2>/dev/null || {bind}; }}"
            failed = shlex.quote(f"the page's box cannot mount {mount.target}")
            why = shlex.quote(str(self._layers / WHY))
            one_by_one.append(f"{bind} || {{ echo {failed} > {why}; exit {MOUNT_FAILED}; }}; ")
            table.append(" ".join(_fstab_field(field) for field in row) + " 0 0\n")
        fstab = self._layers / "fstab"
        fstab.write_text("".join(table))
        quoted = shlex.quote(str(fstab))
        return f"mount -a -T {quoted} 2>/dev/null || {{ {''.join(one_by_one)}}}; "

    def failure(self) -> str | None:
        """Why the box could not be made (a mount), when it could not."""
        try:
            return (self._layers / WHY).read_text().strip() or None
        except OSError:
            return None

    def _layers_for(self, number: int, lower: Path) -> str:
        upper, work = self._layers / f"{number}-upper", self._layers / f"{number}-work"
        upper.mkdir(parents=True, exist_ok=True)
        work.mkdir(parents=True, exist_ok=True)
        return f"lowerdir={lower},upperdir={upper},workdir={work}"

    def close(self) -> None:
        """Kill the box's first process, so the kernel kills the rest; wait until it is gone."""
        init = self._init
        if init is None or self._started is None or _start_time(init) != self._started:
            return  # never made, or already gone (its number may be another process's now)
        handle = _pidfd(init)  # before the kill: it names this process, not a later namesake
        with contextlib.suppress(OSError):
            os.kill(init, signal.SIGKILL)
        if handle is not None:
            _wait_readable(handle)  # the kernel says when it has exited: no polling interval
            return
        deadline = time.monotonic() + WAIT
        while _running(init) and time.monotonic() < deadline:
            time.sleep(0.002)


def _pidfd(pid: int) -> int | None:
    """A pidfd of `pid` (Linux 5.3 and later), None where there is none."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _wait_readable(handle: int) -> None:
    """Wait until the pidfd's process has exited (and its namespace is empty), WAIT at most."""
    try:
        waiting = select.poll()
        waiting.register(handle, select.POLLIN)
        waiting.poll(WAIT * 1000)
    finally:
        os.close(handle)


def _fstab_field(text: str) -> str:
    r"""A field of an fstab line: blanks and backslashes as octal escapes.

    >>> _fstab_field("/home/a b")
    '/home/a\\040b'
    """
    return "".join(f"\\{ord(c):03o}" if c in " \t\n\\" else c for c in text)


def _child_of(pid: int) -> int | None:
    """The first child of `pid` (the launcher forks the box's first process), waited for."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return None
        if children:
            return int(children[0])
        time.sleep(0.0005)
    return None


def _start_time(pid: int) -> bytes | None:
    """When a process started (clock ticks after boot), or None when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _running(pid: int) -> bool:
    """Alive and not a zombie: a zombie box's first process means its namespace is empty."""
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != b"Z"


def layers_folder(nonce: str) -> Path:
    """Where a session's overlay layers live: on tmpfs when there is one, named by the session.

    Named so that `runner reset` finds it after a runner killed with SIGKILL.
    """
    base = FAST_FOLDER if os.access(FAST_FOLDER, os.W_OK | os.X_OK) else None
    return Path(base or tempfile.gettempdir()) / f"runner-box-{nonce}"


def remove_layers(nonce: str) -> None:
    """Remove a session's layers (the box is gone: nothing is mounted on them)."""
    shutil.rmtree(layers_folder(nonce), ignore_errors=True)


def open_box(mounts: Sequence[Mount], layers: Path) -> Box | None:
    """A box for one page, or None where the machine cannot make one (said once)."""
    mode = box_mode()
    return None if mode is None else Box(mode, mounts, layers)
