r"""How the runner hears from the page's bash: markers written to the terminal, `$?` on a FIFO.

The rcfile puts two hooks in the prompts, as command substitutions, each tagged with a
per-session token; nothing else of the runner's is in the shell:

- `PS1` starts with `$(...)`, run when bash shows its prompt after a command: it writes `$?`
  to a FIFO that only the runner reads, then `ESC ] 777 ; token ; 1 BEL` straight to
  `/dev/tty`; the prompt itself is the plain `$ `.
- `PS2` is `$(...)` writing `...;2 BEL` to `/dev/tty` when bash wants a continuation line.

Why there: a command substitution runs in a subshell, which does not inherit the page's
DEBUG or ERR trap (bash passes them on only under `set -T` / `set -E`), so a page's
`trap '...' DEBUG` fires on its own commands alone; `PROMPT_COMMAND` stays what a reader's
bash has (unset); the markers go to the terminal itself, never to bash's stdout or stderr,
so a page that sends those to a file (`exec > >(tee -a log.txt) 2>&1`) gets only its prompt
there, not the token, and reading that file back shows no marker. The hook's stderr is
closed, so `set -x` traces nothing of it, and `$?`, `$_` and `PIPESTATUS` are the parent's,
untouched. The cost is one fork per prompt (bench/README.md has the figures).

`Channel.wait_prompt` turns the terminal stream and the FIFO into events; the bytes between
a typed line and the next end marker are the command's output; what follows the end marker
(the prompt) is not, and it is taken in before the next line is typed: bash is seen
reading its next line on the terminal (/proc) by then.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shlex
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from guiderunner.run.shell.modes import EDITING_OFF, edits_lines, typing_modes
from guiderunner.run.shell.terminal import Terminal, cmdline, interactive_bash

MARKER_GRACE = 0.25  # seconds the end marker may trail the status (stdout elsewhere: never)
PROMPT_WAIT = 0.05  # seconds the prompt may trail the end marker
STALL = 0.25  # seconds without a byte before the foreground job is looked at


class ShellGone(Exception):
    """The terminal closed: bash exited."""


@dataclass(frozen=True, slots=True)
class Event:
    """Where bash is now."""

    DONE = "done"
    MORE = "more"
    TIMEOUT = "timeout"

    kind: str
    """DONE (a command ended, `status` holds `$?`), MORE (PS2) or TIMEOUT."""
    status: int | None


MORE = Event(Event.MORE, None)
TIMEOUT = Event(Event.TIMEOUT, None)


class Channel:
    """The hooks of one bash session: its rcfile, its FIFO, and the parse of its terminal."""

    def __init__(self, home: Path, token: str) -> None:
        self._token = token
        self.fifo = home / "status"
        self.rcfile = home / "rc"
        os.mkfifo(self.fifo, 0o600)
        self._status_fd = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
        self._keep_open = os.open(self.fifo, os.O_WRONLY)  # bash's opens never block or fail
        self._prefix = b"\x1b]777;" + token.encode() + b";"
        self._marker = re.compile(rb"\x1b\]777;" + token.encode() + rb";([12]);([0-9]+)\x07")
        self._number = -1  # bash's command number (`\#`) at the last prompt
        self._terminal: Terminal | None = None
        self._argv: list[str] = []
        self._armed: set[tuple[int, tuple[str, ...]]] = set()
        self._rearmed = False
        self._pending = bytearray()
        self._output = bytearray()
        self._statuses: list[tuple[int, int]] = []  # ($?, command number), from the FIFO
        self._ended = False
        self._in_prompt = False  # between the end marker and the next typed line
        self._typed = False  # a line was typed since the end marker
        self.echo: Callable[[bytes], None] | None = None

    def write_rcfile(self) -> Path:
        """The rcfile: the two prompt hooks; history kept in memory only.

        Bash decodes a prompt's backslash escapes before it expands it, so `\\#` (the
        command number) and the hook's `\\n`, `\\e` and `\\a` reach printf decoded.
        """
        fifo = shlex.quote(str(self.fifo))
        mark = f"\\e]777;{self._token};"
        end = (
            f'$({{ printf "%d %d\\n" "$?" "\\#" >|{fifo}; printf "{mark}1;\\#\\a" >&3; }}'
            " 3>&2 2>&-)"
        )
        ps1, ps2 = shlex.quote(end + "\\$ "), shlex.quote(mark + "2;\\#\\a")
        self.rcfile.write_text(f"PS1={ps1}\nPS2={ps2}\nunset HISTFILE\n", encoding="utf-8")
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
        """
        assert self._terminal is not None
        self._finish_prompt()
        reader = self._terminal.foreground()
        if reader is not None and edits_lines(reader):
            self._editing_off(deadline)
        self._in_prompt, self._typed, self._ended = False, True, False
        try:
            typing_modes(self._terminal.fd)
            return self._terminal.type_line(line.encode(), deadline)
        except OSError as error:  # EIO: the other side of the terminal is gone
            raise ShellGone() from error

    def _editing_off(self, deadline: float) -> None:
        """A page turned line editing on (`set -o emacs`): off again, as a line of its own.

        Readline would echo each typed line and wrap it in bracketed-paste codes; a reader's
        terminal shows none of that in a command's output. The line leaves no history.
        """
        assert self._terminal is not None
        self._in_prompt, self._typed, self._ended = False, True, False
        typing_modes(self._terminal.fd)
        self._terminal.type_line(EDITING_OFF.encode(), deadline)
        self.wait_prompt(deadline)
        self._output.clear()
        self._finish_prompt()

    def _finish_prompt(self) -> None:
        """Take in the prompt before typing, so that none of it is taken for output.

        The prompt follows the end marker at once: it is all in once bash reads its next line
        from the terminal (or after PROMPT_WAIT, when the page sent its stderr elsewhere or
        a program of its own reads the terminal).
        """
        assert self._terminal is not None
        if not self._in_prompt:
            return
        fd, end = self._terminal.fd, time.monotonic() + PROMPT_WAIT
        while True:
            reader = self._terminal.foreground()
            settled = reader is not None and self._terminal.reads_terminal(reader)
            while select.select([fd], [], [], 0)[0]:
                self._read_terminal(fd)
            if settled or time.monotonic() >= end:
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
        """The current step's output so far, markers and prompts removed."""
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
            if self._ended and self._statuses:
                self._ended = False
                return self._done()
            now = time.monotonic()
            if self._statuses and marker_deadline is None:
                marker_deadline = now + MARKER_GRACE
            if marker_deadline is not None and now >= marker_deadline:
                return self._done()
            limit = min(deadline, marker_deadline or deadline)
            if now >= limit:
                return TIMEOUT
            # The FIFO is watched only once the end marker is in (the status precedes it), so
            # that its write does not wake the runner twice; it is read at a stall too.
            watched = [fd, self._status_fd] if self._ended else [fd]
            ready = select.select(watched, [], [], min(limit - now, STALL))[0]
            if not ready:
                self._read_statuses()
                if not self._statuses and self._look_at_foreground(deadline, more_lines):
                    return MORE
                continue
            if self._status_fd in ready:
                self._read_statuses()
            if fd in ready and self._read_terminal(fd):
                return MORE
            if self._ended and not self._statuses:
                self._read_statuses()  # written before the end marker: there already

    def _done(self) -> Event:
        status, self._number = self._statuses.pop(0)
        return Event(Event.DONE, status)

    def _read_statuses(self) -> None:
        with contextlib.suppress(BlockingIOError):
            data = os.read(self._status_fd, 4096)
            for line in data.splitlines():
                status, number = line.split()
                self._statuses.append((int(status), int(number)))

    def _genuine(self, kind: bytes, number: int) -> bool:
        """Is this marker bash's own, now, and not one a page printed back from a file?

        A page that sends bash's stderr to a file finds the prompts in it; printing that file
        replays their markers. An end marker counts only when the FIFO holds the status
        written with it (same command number); a continuation marker only for the command
        being typed.
        """
        if kind == b"2":
            return number == self._number
        if not any(pending == number for _, pending in self._statuses):
            self._read_statuses()
        for index, (_, pending) in enumerate(self._statuses):
            if pending == number:
                del self._statuses[:index]  # statuses whose marker never came (stderr elsewhere)
                return True
        return False

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
        if not self._pending and b"\x1b" not in chunk:
            self._take(chunk)  # plain output, the usual chunk: no marker to look for
            return False
        self._pending += chunk
        return self._scan()

    def _scan(self) -> bool:
        """Route what arrived between the markers; True when PS2 came (a line is wanted).

        After a typed line, bytes are output until the end marker; after it, prompt.
        """
        more = False
        start = 0
        for match in self._marker.finditer(self._pending):
            self._take(self._pending[start : match.start()])
            start = match.end()
            if not self._genuine(match[1], int(match[2])):
                continue
            if match[1] == b"1":
                self._typed, self._ended, self._in_prompt = False, True, True
            else:
                more = True
        keep = self._partial_marker_start(start)
        self._take(self._pending[start:keep])
        del self._pending[:keep]
        return more

    def _partial_marker_start(self, start: int) -> int:
        """Where a marker cut at the end of what has arrived begins (else the end)."""
        buffer, prefix = self._pending, self._prefix
        escape = buffer.rfind(b"\x1b", max(start, len(buffer) - len(prefix) - 2))
        if escape < 0:
            return len(buffer)
        tail = bytes(buffer[escape:])
        if prefix.startswith(tail) or (tail.startswith(prefix) and len(tail) <= len(prefix) + 1):
            return escape
        return len(buffer)

    def _take(self, piece: bytes | bytearray) -> None:
        if not self._typed or self._in_prompt or not piece:
            return  # a prompt, or what bash printed before a line was typed
        self._output += piece
        if self.echo is not None:
            self.echo(bytes(piece))

    # --- a shell without the hooks --------------------------------------------------------

    def _look_at_foreground(self, deadline: float, more_lines: bool) -> bool:
        """Re-arm a bash that waits at a prompt without our hooks (once per step).

        `exec bash`, `exec "$SHELL"` or a nested `bash` start a shell that has none of them,
        and a page may overwrite PS1. Such a shell, seen waiting for a line on the
        terminal, gets the hooks back by typing `. RCFILE` into it; what it printed meanwhile
        (a greeting, its prompt) is not the command's output, and the step's status is 0.
        Returns True when our own bash reads its input while lines are left to type: the page
        silenced the prompts (stderr elsewhere), and the next line is due.
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
        self._armed.add((group, tuple(argv)))
        self._rearmed = True
        self._output.clear()
        self._typed = False  # what the new shell shows until its first end marker is not output
        # Outside the rcfile: `set +o emacs` inside `.` would not outlast it.
        rearm = f"set +o emacs +o vi; . {shlex.quote(str(self.rcfile))}"
        self._terminal.type_line(rearm.encode(), deadline)
        return False
