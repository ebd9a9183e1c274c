r"""How the runner hears from the page's bash: prompt markers on the terminal, `$?` on a FIFO.

The rcfile sets three hooks, each tagged with a per-session token that exists only in these
shell variables, written there as `\e` escapes (so `echo "$PS1"` or `set` never prints a
marker) and never exported:

- `PS2` prints `ESC ] 777 ; token ; 2 BEL` when bash wants a continuation line;
- `PROMPT_COMMAND` writes `$?` to a FIFO that only the runner reads, then prints `...;1 BEL`
  on stdout (with stderr closed, so that its own trace under `set -x` goes nowhere; bash
  keeps `$?`, `$_` and `PIPESTATUS` for the next command). Two redirections, one `open`
  of the FIFO: it runs at every prompt, so it is kept this short (bench/shell_hooks.py
  measures each part; an end marker carried by PS1 instead, to save one write, and the FIFO
  kept open on a fixed fd were measured and not kept: see bench/README.md);
- `PS1` is `$ ` followed by `...;3 BEL`, the end of the prompt.

`Channel.wait_prompt` turns the terminal stream and the FIFO into events; the bytes between
the end of a prompt and the next end marker are the command's output.
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

from guiderunner.run.shell.terminal import Terminal, cmdline, interactive_bash

MARKER_GRACE = 0.25  # seconds the end marker may trail the status (stdout elsewhere: never)
PROMPT_WAIT = 0.05  # seconds PS1's marker may trail the end marker
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
        self._marker = re.compile(rb"\x1b\]777;" + token.encode() + rb";([123])\x07")
        self._hook = (
            f'{{ printf "%d\\n" "$?" >|{shlex.quote(str(self.fifo))}; '
            f'printf "\\e]777;{token};1\\a"; }} 2>&-'
        )
        self._verbose_echo = self._hook.encode() + b"\r\n"
        self._terminal: Terminal | None = None
        self._argv: list[str] = []
        self._armed: set[tuple[int, tuple[str, ...]]] = set()
        self._rearmed = False
        self._pending = bytearray()
        self._output = bytearray()
        self._statuses: list[int] = []
        self._ended = False
        self._in_prompt = False  # between the end marker and the end of PS1
        self._typed = False  # a line was typed since the end marker
        self._preamble = bytearray()  # output while PS1 is the page's (or not shown yet)
        self._ps1_marked = True  # does the page's PS1 still end with our marker?
        self.echo: Callable[[bytes], None] | None = None

    def write_rcfile(self) -> Path:
        """The rcfile: the three hooks, no history file (line editing is off: --noediting)."""
        mark = f"\\e]777;{self._token};"
        self.rcfile.write_text(
            f"PS1='\\$ {mark}3\\a'\nPS2='{mark}2\\a'\n"
            f"PROMPT_COMMAND={shlex.quote(self._hook)}\n"
            "unset HISTFILE\nset +o history\n",
            encoding="utf-8",
        )
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
        """Type one line; whatever the terminal shows from now on is output."""
        assert self._terminal is not None
        self._finish_prompt()
        self._typed, self._ended = True, False
        try:
            return self._terminal.type_line(line.encode(), deadline)
        except OSError as error:  # EIO: the other side of the terminal is gone
            raise ShellGone() from error

    def _finish_prompt(self) -> None:
        """Take in the prompt before typing, so that none of it is taken for output.

        PS1 follows the end marker at once: when its marker has not come yet, it is awaited
        briefly; when it does not come (the page's PS1 has none, or stderr, where prompts go,
        is elsewhere), PS1 counts as the page's from then on, and whatever the terminal holds
        now is its prompt.
        """
        assert self._terminal is not None
        fd, end = self._terminal.fd, time.monotonic() + PROMPT_WAIT
        while self._in_prompt and (left := end - time.monotonic()) > 0:
            if select.select([fd], [], [], left)[0]:
                self._read_terminal(fd)
        if self._in_prompt:
            self._in_prompt = self._ps1_marked = False
        while not self._ps1_marked and select.select([fd], [], [], 0)[0]:
            self._read_terminal(fd)

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
                return Event(Event.DONE, self._statuses.pop(0))
            now = time.monotonic()
            if self._statuses and marker_deadline is None:
                marker_deadline = now + MARKER_GRACE
            if marker_deadline is not None and now >= marker_deadline:
                return Event(Event.DONE, self._statuses.pop(0))
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

    def _read_statuses(self) -> None:
        with contextlib.suppress(BlockingIOError):
            data = os.read(self._status_fd, 4096)
            self._statuses += [int(line) for line in data.split()]

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

        After a typed line, bytes go to the output once the prompt has ended (PS1's marker).
        Before that they wait in the preamble: dropped as prompt when PS1's marker comes,
        kept as output when the end marker comes first (the page's PS1 has no marker, or
        the page sent stderr, where prompts go, elsewhere).
        """
        more = False
        start = 0
        for match in self._marker.finditer(self._pending):
            self._take(self._pending[start : match.start()])
            start = match.end()
            kind = match[1]
            if kind != b"3" and self._in_prompt:  # the page's PS1 dropped our marker
                self._ps1_marked = self._in_prompt = False
            if kind == b"1":
                self._end_command()
            elif kind == b"2":
                more = True
            else:  # PS1 shown: what came before it was prompt, what follows it is output
                self._in_prompt, self._ps1_marked = False, True
                self._preamble.clear()
        keep = self._partial_marker_start(start)
        self._take(self._pending[start:keep])
        del self._pending[:keep]
        return more

    def _end_command(self) -> None:
        self._output += self._preamble  # PS1 never ended: all of it was output
        self._preamble.clear()
        self._strip_verbose_hook()
        self._typed = False
        self._ended = True
        self._in_prompt = self._ps1_marked

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
        if not (self._typed and piece):
            return  # a prompt, or what bash printed before a line was typed
        if self._in_prompt or not self._ps1_marked:
            self._preamble += piece
            return
        self._output += piece
        if self.echo is not None:
            self.echo(bytes(piece))

    def _strip_verbose_hook(self) -> None:
        """Under `set -v` bash prints the hook's text before running it: not the command's."""
        echoed = self._verbose_echo
        if self._output.endswith(echoed):
            del self._output[-len(echoed) :]

    # --- a shell without the hooks --------------------------------------------------------

    def _look_at_foreground(self, deadline: float, more_lines: bool) -> bool:
        """Re-arm a bash that waits at a prompt without our hooks (once per step).

        `exec bash`, `exec "$SHELL"` or a nested `bash` start a shell that has none of them,
        and a page may overwrite PROMPT_COMMAND. Such a shell, seen waiting for a line on the
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
        self._preamble.clear()
        self._typed = False  # what the new shell shows until its first end marker is not output
        # Outside the rcfile: `set +o emacs` inside `.` would not outlast it.
        rearm = f"set +o emacs +o vi; . {shlex.quote(str(self.rcfile))}"
        self._terminal.type_line(rearm.encode(), deadline)
        return False
