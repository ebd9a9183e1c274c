r"""The page's own bash handed to a person for a while, then taken back in step with the runner.

During a workshop, a failed step is often fixed by hand: the instructor opens the page's live
shell (the same bash, so the same folder, variables and jobs), types, and returns with Ctrl-]
(run.shell.relay). The page's bash is set up for a person while it is theirs, and put back as
the runner left it afterwards:

1. Its prompts, PROMPT_COMMAND, IGNOREEOF, `set -e` and terminal settings are saved to a
   file, by a command typed through ShellSession.run (in step with the runner's hooks).
2. One line is typed straight into its terminal (invisible: echo is off then): no
   PROMPT_COMMAND, so that no status reaches the runner's FIFO while the person types and none
   is read later as a step's; a plain prompt, `(fix) \w $ `; echo and line editing on; no
   `set -e` (a mistyped command must not end the shell); Ctrl-D ignored; `exit` and `logout`
   shadowed by functions that say how to return instead, so the page's shell is not ended by
   accident (`builtin exit` still ends it).
3. On the way back: Ctrl-C (a half-typed line, a program still running), then SIGTERM and
   SIGKILL to a foreground job that did not stop; then the saved file is sourced and editing
   switched off, through ShellSession.run, which waits for the restored hook's own signal: the
   runner is in step again, and the person's jobs, variables and folder stay.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from guiderunner.run.shell.markers import ONCE
from guiderunner.run.shell.relay import ESCAPE_NAME, Ended, drain, relay, write_all
from guiderunner.run.shell.session import ShellSession

FIX_PROMPT = r"(fix) \w \$ "
SETTLE = 0.05  # seconds of silence that say bash has printed its prompt
STOP_WAIT = 1.0  # seconds a foreground program gets after Ctrl-C, then after SIGTERM
RESTORE_TIMEOUT = 10.0
EXIT_NOTE = f"this is the page's shell: press {ESCAPE_NAME} to return to the presenter"


class NotHandedOver(Exception):
    """The shell's settings could not be saved: it is not handed over (and still the page's)."""


@dataclass(frozen=True, slots=True)
class Handover:
    """How a live session ended."""

    ended: Ended
    """Ctrl-] (ESCAPE) or bash exited (CLOSED)."""
    notes: tuple[str, ...] = ()
    """What the person should know: a program stopped, the shell not restored."""


def save_script(state: Path) -> str:
    """The command that writes a script restoring what the live session changes.

    `|| :` keeps a page's `set -e` from ending the shell when a variable is not set.
    """
    return (
        "{ shopt -po ignoreeof errexit; declare -p PS1 PS2 PROMPT_COMMAND IGNOREEOF; "
        f'printf "stty %s\\n" "$(stty -g)"; }} >{shlex.quote(str(state))} 2>/dev/null || :'
    )


def enter_script() -> str:
    r"""The line that makes the page's bash a person's shell (typed with echo off).

    >>> "PROMPT_COMMAND=;" in enter_script(), "set -o emacs" in enter_script()
    (True, True)
    """
    note = shlex.quote(EXIT_NOTE)
    return (
        f"set +e; PROMPT_COMMAND=; PS1={shlex.quote(FIX_PROMPT)}; PS2='> '; stty echo; "
        "set -o emacs -o ignoreeof; IGNOREEOF=1000; "
        f"exit() {{ printf '%s\\n' {note} >&2; return 1; }}; logout() {{ exit; }}"
    )


def restore_script(state: Path) -> str:
    """The command that gives the page's bash back to the runner, as it was saved.

    The person's commands moved bash's command number on: PS1's gate is told it is not known
    (`ONCE`), so that the end of this command comes with its status in the FIFO.
    """
    return (
        "unset -f exit logout; unset PS1 PS2 PROMPT_COMMAND IGNOREEOF; "
        f". {shlex.quote(str(state))}; set +o emacs +o vi; PS1[1]={ONCE}"
    )


def live_shell(shell: ShellSession, keyboard: int, screen: int, state: Path) -> Handover:
    """Hand the page's bash to the person at `keyboard` (a terminal) until Ctrl-] or its end.

    `state` is a private file for what is saved meanwhile. Raises ShellDied when the shell is
    gone, NotHandedOver when it did not answer in time.
    """
    saved = shell.run(save_script(state), RESTORE_TIMEOUT)
    if saved.status != 0:
        raise NotHandedOver(f"its settings could not be saved ({saved.error or saved.status})")
    fd = shell.terminal_fd
    drain(fd, SETTLE)  # the runner's prompt: not the person's
    write_all(fd, enter_script().encode() + b"\n")
    if relay(keyboard, screen, fd) is Ended.CLOSED:
        return Handover(Ended.CLOSED, ("the page's shell exited: later steps cannot run",))
    notes = [] if _back_at_prompt(shell) else ["a program still running in the shell was stopped"]
    restored = shell.run(restore_script(state), RESTORE_TIMEOUT)
    if restored.status != 0:
        notes.append(f"the shell's settings could not be restored ({restored.error})")
    return Handover(Ended.ESCAPE, tuple(notes))


def _back_at_prompt(shell: ShellSession) -> bool:
    """Ctrl-C, as the person would; a foreground job that ignores it is stopped harder.

    True when bash was at its prompt (or came back to it after Ctrl-C alone).
    """
    fd = shell.terminal_fd
    write_all(fd, b"\x03")
    calm = _wait_foreground(shell, STOP_WAIT)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        group = _foreground(fd)
        if group is None or group == shell.pid:
            break
        with contextlib.suppress(OSError):
            os.killpg(group, sig)
        _wait_foreground(shell, STOP_WAIT)
    drain(fd, SETTLE)  # `^C` and the prompt after it: not a step's output
    return calm


def _wait_foreground(shell: ShellSession, seconds: float) -> bool:
    """Wait until bash owns its terminal again; True if it does."""
    end = time.monotonic() + seconds
    while _foreground(shell.terminal_fd) not in (None, shell.pid):
        if time.monotonic() >= end:
            return False
        drain(shell.terminal_fd, 0.01, limit=0.05)
    return True


def _foreground(fd: int) -> int | None:
    try:
        return os.tcgetpgrp(fd)
    except OSError:
        return None
