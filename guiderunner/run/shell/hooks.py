"""How the runner talks with the page's bash: typing lines, waiting for its prompts.

The hooks are run.shell.markers, the stream's parse run.shell.listen. `Channel.wait_prompt`
turns the terminal stream and the FIFO into events; the bytes between a typed line and the
next end marker are the command's output; the prompt that follows is taken in before the
next line is typed. A bash whose prompts go elsewhere is asked for its status with two empty
lines, once (`_probe`); one without the hooks is re-armed.
"""

from __future__ import annotations

import contextlib
import os
import select
import shlex
import signal
import time
from collections.abc import Callable
from pathlib import Path

from guiderunner.run.shell import markers, modes
from guiderunner.run.shell.markers import MORE, TIMEOUT, Event
from guiderunner.run.shell.quick import Quick
from guiderunner.run.shell.starved import starving
from guiderunner.run.shell.terminal import Terminal, cmdline, interactive_bash

MARKER_GRACE = 0.25  # seconds the end marker may trail the status (stderr elsewhere: none)
PROMPT_WAIT = 0.05  # seconds the prompt may trail the end marker
STALL = 0.25  # seconds without a byte before the foreground job is looked at
RELAY_WAIT = 1.0  # seconds a marker may take through a pipe before bash is asked again


class Channel(Quick):
    """The hooks of one bash session: its rcfile, its FIFO, typing and waiting for bash."""

    def __init__(self, home: Path, token: str) -> None:
        self.fifo = home / "status"
        self.rcfile = home / "rc"
        os.mkfifo(self.fifo, 0o600)
        super().__init__(token, os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK))
        self._keep_open = os.open(self.fifo, os.O_WRONLY)  # bash's opens never block or fail
        self._argv: list[str] = []
        self._rearmed = False
        self.starving: str | None = None  # the program a WAITING event is about

    def write_rcfile(self) -> Path:
        """The rcfile: the two prompt hooks; history kept in memory only."""
        self.rcfile.write_text(markers.rcfile_text(self.fifo, self._token), encoding="utf-8")
        return self.rcfile

    def attach(self, terminal: Terminal, argv: list[str]) -> None:
        """Listen to this terminal, where bash runs as `argv` with our rcfile."""
        self._terminal = terminal
        os.set_blocking(terminal.fd, False)
        self._argv = argv

    def close(self) -> None:
        """Close the FIFO's ends; never raises."""
        for fd in (self._status_fd, self._keep_open):
            with contextlib.suppress(OSError):
                os.close(fd)

    # --- typing ---------------------------------------------------------------------------

    def start_command(self) -> None:
        """A new step."""
        self._rearmed = False

    def type_line(self, line: str, deadline: float) -> bool:
        """Type one line; whatever the terminal shows from now on is output.

        The terminal's modes are set back first (echo off, canonical input): a page's
        `stty echo`, `stty sane` or `reset` would otherwise echo each typed line into output.
        A page's `set -o emacs` or `vi` (readline echoes) is undone first by a line of its own.
        """
        assert self._terminal is not None
        at_prompt, suspect = not self._typed, self._may_edit
        self._finish_prompt()
        reader = self._terminal.foreground() if at_prompt and suspect else None
        bash = reader is not None and interactive_bash(cmdline(reader))
        if bash and reader and modes.settled(reader, deadline) and modes.edits_lines(reader):
            self._may_edit = False
            self.type_line(modes.EDITING_OFF, deadline)  # a line of its own, output dropped
            self.wait_prompt(deadline)
            self._output.clear()
            self._finish_prompt()
        self._in_prompt, self._typed, self._end, self._probed = False, True, None, False
        self._open, self._held = True, None
        if self._drain:  # statuses of prompts already taken (PS1's gate: run.shell.markers)
            self._read_statuses()
            self._drain = bool(self._statuses)  # none: PS1 forks no more, until it shows
            self._statuses.clear()
        self._may_edit = (self._may_edit and not at_prompt) or modes.may_edit(line)
        return self._type_now(line, deadline)

    def type_lines(self, lines: list[str], base: float, paused: Callable[[], float]) -> Event:
        """Type each line once bash wants it; the usual one-line command the short way (quick).

        The deadline is `base` plus the time spent waiting outside the page (`paused`): a
        deadline that moved on while waiting is waited for again.
        """
        if len(lines) == 1 and self.usual():
            event = self.quick_line(lines[0], base + paused())
            return event or self._wait_moving(base, paused, more_lines=False)
        event = TIMEOUT
        for number, line in enumerate(lines, 1):
            if not self.type_line(line, base + paused()):
                return TIMEOUT
            event = self._wait_moving(base, paused, more_lines=number < len(lines))
            if event.kind == Event.TIMEOUT:
                break
        return event

    def _wait_moving(self, base: float, paused: Callable[[], float], *, more_lines: bool) -> Event:
        while True:
            event = self.wait_prompt(base + paused(), more_lines=more_lines)
            if event.kind != Event.TIMEOUT or time.monotonic() >= base + paused():
                return event

    def _finish_prompt(self) -> None:
        """Take in the prompt before typing: PS1's own end marker, awaited (PROMPT_WAIT).

        A page may end PS1 otherwise, or send stderr elsewhere: then, until the marker shows
        again, the prompt is all in once bash reads its next line (/proc).
        """
        assert self._terminal is not None
        if not self._in_prompt:
            return  # the usual case: PS1's last marker came with its end marker
        fd, end = self._terminal.fd, time.monotonic() + PROMPT_WAIT
        while self._in_prompt and self._prompt_marked and (left := end - time.monotonic()) > 0:
            if select.select([fd], [], [], left)[0]:
                self._read_terminal(fd)
        if not self._in_prompt:
            return
        self._prompt_marked = False
        while True:
            reader = self._terminal.foreground()
            settled = reader is not None and self._terminal.reads_terminal(reader)
            while select.select([fd], [], [], 0)[0]:
                self._read_terminal(fd)
            if not self._in_prompt or settled or time.monotonic() >= end + PROMPT_WAIT:
                return
            select.select([fd], [], [], 0.0005)

    def write(self, data: bytes) -> None:
        """Type raw bytes (Ctrl-C)."""
        assert self._terminal is not None
        with contextlib.suppress(OSError):
            os.write(self._terminal.fd, data)

    def interrupt(self) -> None:
        """Ctrl-C, as typed."""
        self.write(b"\x03")

    def terminate(self) -> None:
        """SIGTERM to the foreground job (not to bash itself)."""
        self._signal_foreground(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL to the foreground job (not to bash itself)."""
        self._signal_foreground(signal.SIGKILL)

    def _signal_foreground(self, sig: signal.Signals) -> None:
        assert self._terminal is not None
        group = self._terminal.foreground()
        if group is not None and group != self._terminal.pid:
            with contextlib.suppress(OSError):
                os.killpg(group, sig)

    # --- listening ------------------------------------------------------------------------

    def wait_prompt(self, deadline: float, more_lines: bool = False) -> Event:
        """Read until bash wants a line (MORE) or a command ended (DONE), or the deadline.

        With `more_lines`, bash seen reading its input without a word from the hooks (the page
        sent stderr, hence PS2, elsewhere) counts as MORE: the next line is typed.
        """
        assert self._terminal is not None
        fd, marker_deadline = self._terminal.fd, None
        while True:
            if self._end is not None:
                return self._done()
            now = time.monotonic()
            if self._statuses and marker_deadline is None:
                marker_deadline = now + (MARKER_GRACE if modes.stderr_here(self._terminal) else 0)
            if marker_deadline is not None and now >= marker_deadline:
                return self._done()
            limit = min(deadline, marker_deadline or deadline)
            if now >= limit:
                return TIMEOUT
            # The FIFO is watched when prompts are not marked (stderr elsewhere) or an empty line
            # was typed to have the status written; it is read at a stall too.
            watched = [fd, self._status_fd] if self._probed or not self._prompt_marked else [fd]
            ready = select.select(watched, [], [], min(limit - now, STALL))[0]
            if not ready:
                self._read_statuses()
                if not self._statuses and self._look_at_foreground(deadline, more_lines):
                    return MORE
                if not (more_lines or self._statuses):
                    self.starving = starving(self._terminal, self._quiet_since)
                    if self.starving:
                        return Event(Event.WAITING, None)
                continue
            if self._status_fd in ready:
                self._read_statuses()
            if fd in ready and self._read_terminal(fd):
                return MORE

    # --- a shell without the hooks, or whose prompts go elsewhere ---------------------------

    def _take_held(self) -> bool:
        """Our bash reads its next line: the end marker held while it had no terminal was its."""
        if self._held is None or not self._open:
            return False
        status, number, length = self._held
        del self._output[length:]
        self._end, self._held, self._open = (status, number), None, False
        self._typed, self._in_prompt = False, True
        return True

    def _probe(self, deadline: float) -> bool:
        """Two empty lines, once, when bash's prompts go elsewhere: PS1 forks from then on.

        Through a pipe (a `tee`) the marker may only be late: a second first. True when
        typed, or when the pipe is still given its second.
        """
        assert self._terminal is not None
        target = None if self._probed else modes.stderr_target(self._terminal)
        if target is None or target == self._terminal.tty:
            return False
        if modes.relayed(target) and time.monotonic() - self._quiet_since < RELAY_WAIT:
            return True
        self._probed = self._drain = True
        self._terminal.write(b"\n\n", deadline)
        self._quiet_since = time.monotonic()
        return True

    def _look_at_foreground(self, deadline: float, more_lines: bool) -> bool:
        """Re-arm a bash that waits at a prompt without our hooks (once per step).

        `exec bash` or a nested `bash` start a shell without them, and a page may overwrite PS1:
        seen waiting for a line, it gets them back from a typed `. RCFILE`, which first records
        `$?` and the prompt it shows (listen.py). True when our own bash reads its
        input while lines are left to type (stderr elsewhere: no PS2): the next line is due.
        """
        assert self._terminal is not None
        group = self._terminal.foreground()
        if group is None or self._rearmed:
            return False
        argv = cmdline(group)
        known = (group, tuple(argv)) in self._armed or (
            argv == self._argv and group == self._terminal.pid
        )
        # Ours, hooks set, not at its prompt: a command of its own (`read`) waits, or it is busy.
        reads = self._terminal.reads_prompt if known else self._terminal.reads_terminal
        if not (reads(group) and (known or interactive_bash(argv))):
            return False
        self._read_statuses()  # the hook may have run just now: then it is there
        if self._statuses or (known and self._take_held()):
            return False
        if known and more_lines:
            return True
        if known and self._probe(deadline):
            return False
        self._armed.add((group, tuple(argv)))
        self._rearmed = True
        self._keep_until_rearmed(self.rcfile.with_name("rearmed"))
        self._resync = self._open = True
        # Outside the rcfile: `set +o emacs` inside `.` would not outlast it.
        rearm = f"{self._rearm_record()}; set +o emacs +o vi; . {shlex.quote(str(self.rcfile))}"
        self._terminal.type_line(rearm.encode(), deadline)
        self._quiet_since = time.monotonic()
        return False
