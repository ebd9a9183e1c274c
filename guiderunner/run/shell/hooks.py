"""How the runner hears from the page's bash: the prompt hooks' markers and the `$?` FIFO.

The hooks are run.shell.markers. `Channel.wait_prompt` turns the terminal stream and the FIFO
into events; the bytes between a typed line and the next end marker are the command's output;
the prompt that follows is taken in before the next line is typed.
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
from guiderunner.run.shell.markers import MORE, TIMEOUT, Event, ShellGone
from guiderunner.run.shell.starved import starving
from guiderunner.run.shell.terminal import Terminal, cmdline, interactive_bash

MARKER_GRACE = 0.25  # seconds the end marker may trail the status (stderr elsewhere: none)
PROMPT_WAIT = 0.05  # seconds the prompt may trail the end marker
STALL = 0.25  # seconds without a byte before the foreground job is looked at
_DONE: dict[int, Event] = {}  # one DONE event per status (0-255): not one object per command
RELAY_WAIT = 1.0  # seconds a marker may take through a pipe before bash is asked again


class Channel:
    """The hooks of one bash session: its rcfile, its FIFO, and the parse of its terminal."""

    def __init__(self, home: Path, token: str) -> None:
        self._token = token
        self.fifo = home / "status"
        self.rcfile = home / "rc"
        os.mkfifo(self.fifo, 0o600)
        self._status_fd = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
        self._keep_open = os.open(self.fifo, os.O_WRONLY)  # bash's opens never block or fail
        self._marker = markers.marker_pattern(token)
        self._number = -1  # bash's command number (`\#`) at the last prompt
        self._terminal: Terminal | None = None
        self._argv: list[str] = []
        self._armed: set[tuple[int, tuple[str, ...]]] = set()
        self._rearmed = False
        self._pending = bytearray()
        self._output = bytearray()
        self._statuses: list[tuple[int, int]] = []  # ($?, command number), from the FIFO
        self._end: tuple[int, int] | None = None  # ($?, number) of the end marker taken
        self._resync = True  # the number to expect is not known: ends must be in the FIFO
        self._open = True  # a line went in since the last end: an end marker may come
        self._probed = False  # an empty line was typed to have the prompt's status written
        self._drain = False  # the FIFO may hold statuses of prompts already taken
        self._in_prompt = False  # between the end marker and the next typed line
        self._typed = False  # a line was typed since the end marker
        self.echo: Callable[[bytes], None] | None = None
        self._quiet_since = 0.0  # when the terminal last showed a byte, or a line was typed
        self._prompt_marked = True  # did the last prompt end with PS1's own marker?
        self._may_edit = False  # could the last command have turned line editing on?
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
        self._open = True
        if self._drain:  # statuses of prompts already taken (PS1's gate: run.shell.markers)
            self._read_statuses()
            self._drain = bool(self._statuses)  # none: PS1 forks no more, until it shows
            self._statuses.clear()
        self._may_edit = (self._may_edit and not at_prompt) or bool(modes.EDITING_ON.search(line))
        self._quiet_since = time.monotonic()
        try:
            modes.typing_modes(self._terminal.fd)
            return self._terminal.type_line(line.encode(), deadline)
        except OSError as error:  # EIO: the other side of the terminal is gone
            raise ShellGone() from error

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

    def take_output(self) -> bytes:
        """The step's output so far, markers and prompts removed."""
        output = bytes(self._output)
        self._output.clear()
        return output

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

    def _done(self) -> Event:
        by_marker = self._end is not None
        end = self._end if self._end is not None else self._statuses.pop(0)
        if not by_marker or self._probed or end[1] == self._number:
            self._drain = True  # PS1 forked, and may go on doing so (markers: the gate)
        status, self._number = end
        self._end, self._resync, self._open = None, False, False
        if self._statuses:
            self._statuses = [pair for pair in self._statuses if pair[1] > end[1]]
        if self._typed:  # no end marker came (stderr elsewhere): what follows is prompt
            self._typed, self._in_prompt = False, True
        event = _DONE.get(status)
        return event if event is not None else _DONE.setdefault(status, Event(Event.DONE, status))

    def _read_statuses(self) -> None:
        with contextlib.suppress(BlockingIOError):
            self._statuses += markers.parse_statuses(os.read(self._status_fd, 4096))

    def _genuine(self, kind: bytes, status: bytes | None, number: int) -> bool:
        """Bash's own marker now, not one replayed from a file (run.shell.markers)?

        An end marker is taken when it carries the next command number, the one no earlier
        prompt had; else (nothing ran, or the number is not known) only with its status in the
        FIFO, same number, which PS1's gate writes for such prompts.
        """
        if kind != b"1":
            return number == self._number if kind == b"2" else self._in_prompt
        if not self._open:  # the end of this line is in: a second marker (a prompt prefix)
            self._drain = True
            return False
        if number == self._number + 1 and not self._resync and status is not None:
            self._end = (int(status), number)
        else:
            if not any(pending == number for _, pending in self._statuses):
                self._read_statuses()
            if not markers.claim(self._statuses, number):
                return False
            self._end = self._statuses.pop(0)
        self._open = False
        return True

    def _read_terminal(self, fd: int) -> bool:
        """Take what the terminal shows; True when it holds a continuation prompt (PS2)."""
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            return False
        except OSError:
            chunk = b""
        if not chunk:
            raise ShellGone()
        self._quiet_since = time.monotonic()
        if self._pending:  # a marker was cut at the end of the last read
            chunk = bytes(self._pending + chunk)
            self._pending.clear()
        elif b"\x1b" not in chunk:
            self._take(chunk)  # plain output, the usual chunk: no marker to look for
            return False
        return self._scan(chunk)

    def _scan(self, data: bytes) -> bool:
        """Route what arrived between the markers; True when PS2 came (a line is wanted)."""
        more = False
        start = 0
        for match in self._marker.finditer(data):
            begin, end = match.span()
            if begin > start:
                self._take(data[start:begin])
            start = end
            kind, status, number = match.groups()
            if not self._genuine(kind, status, int(number)):
                continue
            if kind == b"1":
                self._typed, self._in_prompt = False, True
            elif kind == b"3":
                self._in_prompt, self._prompt_marked = False, True  # the prompt is all in
            else:
                more = True
        if start < len(data):  # else the usual case: it ends with a marker
            keep = markers.partial_marker_start(data, start, self._token)
            self._take(data[start:keep])
            self._pending += data[keep:]
        return more

    def _take(self, piece: bytes) -> None:
        if not self._typed or self._in_prompt or not piece:
            return  # a prompt, or what bash printed before a line was typed
        self._output += piece
        if self.echo is not None:
            self.echo(piece)

    # --- a shell without the hooks --------------------------------------------------------

    def _look_at_foreground(self, deadline: float, more_lines: bool) -> bool:
        """Re-arm a bash that waits at a prompt without our hooks (once per step).

        `exec bash` or a nested `bash` start a shell without them, and a page may overwrite PS1:
        seen waiting for a line, it gets them back from a typed `. RCFILE`; what it printed
        meanwhile is not output, and the step's status is 0. True when our own bash reads its
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
        if known and not self._terminal.reads_prompt(group):
            return False  # ours, hooks set: a command of its own (`read`) waits, or it is busy
        if not known and not (interactive_bash(argv) and self._terminal.reads_terminal(group)):
            return False
        self._read_statuses()  # the hook may have run just now: then it is there
        if self._statuses:
            return False
        if known and more_lines:
            return True
        target = modes.stderr_target(self._terminal) if known and not self._probed else None
        if target is not None and target != self._terminal.tty:
            # Its prompts go elsewhere: two empty lines have PS1 fork from now on (markers);
            # through a pipe (a `tee`), the marker may only be late: a second first.
            if modes.relayed(target) and time.monotonic() - self._quiet_since < RELAY_WAIT:
                return False
            self._probed = self._drain = True
            self._terminal.write(b"\n\n", deadline)
            self._quiet_since = time.monotonic()
            return False
        self._armed.add((group, tuple(argv)))
        self._rearmed = True
        self._output.clear()
        self._typed = False  # what the new shell shows until its first end marker is not output
        self._resync = self._open = True
        # Outside the rcfile: `set +o emacs` inside `.` would not outlast it.
        rearm = f"set +o emacs +o vi; . {shlex.quote(str(self.rcfile))}"
        self._terminal.type_line(rearm.encode(), deadline)
        self._quiet_since = time.monotonic()
        return False
