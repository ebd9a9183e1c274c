"""The page bash's terminal stream and `$?` FIFO, read into ends, prompts and output.

The markers are run.shell.markers'; hooks.Channel types and waits on top of this. What the
terminal shows between a typed line and the end marker taken for it is output; an end marker
is taken when it is genuine (`_genuine`): the next command number with bash at its prompt, or
any number with its status in the FIFO.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import time
from collections.abc import Callable
from pathlib import Path

from guiderunner.run.shell import markers
from guiderunner.run.shell.markers import Event, ShellGone
from guiderunner.run.shell.terminal import Terminal

_DONE: dict[int, Event] = {}  # one DONE event per status (0-255): not one object per command


class Listener:
    """What bash said so far: the parse state of its terminal and of its FIFO."""

    def __init__(self, token: str, status_fd: int) -> None:
        self._token = token
        self._status_fd = status_fd
        self._marker = markers.marker_pattern(token)
        self._terminal: Terminal | None = None
        self._armed: set[tuple[int, tuple[str, ...]]] = set()  # (group, argv) of bash re-armed
        self._number = -1  # bash's command number (`\#`) at the last prompt
        self._numbers: dict[int | None, int] = {}  # the same, per bash (a nested one, exited)
        self._group: int | None = -1  # the bash whose end marker was taken, -1: not known
        self._pending = bytearray()  # a marker cut at the end of the last read
        self._output = bytearray()
        self._statuses: list[tuple[int, int]] = []  # ($?, command number), from the FIFO
        self._end: tuple[int, int] | None = None  # ($?, number) of the end marker taken
        self._resync = True  # the number to expect is not known: ends must be in the FIFO
        self._open = True  # a line went in since the last end: an end marker may come
        self._held: tuple[int, int, int] | None = None  # ($?, N, output length): see _genuine
        self._drain = False  # the FIFO may hold statuses of prompts already taken
        self._probed = False  # two empty lines were typed to have PS1 fork (markers)
        self._in_prompt = False  # between the end marker and the next typed line
        self._typed = False  # a line was typed since the end marker
        self._prompt_marked = True  # did the last prompt end with PS1's own marker?
        self._quiet_since = 0.0  # when the terminal last showed a byte, or a line was typed
        self.echo: Callable[[bytes], None] | None = None
        self._rearm_state: Path | None = None  # where the re-arm line records $? and the prompt
        self._before_rearm = b""  # what the step printed before bash was re-armed
        self._observed: tuple[int | None] | None = None  # the foreground already asked (quick)

    def take_output(self) -> bytes:
        """The step's output so far, markers and prompts removed."""
        output = bytes(self._output)
        self._output.clear()
        return output

    def _keep_until_rearmed(self, state: Path) -> None:
        """Bash lost our hooks (a page's `PS1=...`, `unset PS1`, a nested bash) and is re-armed.

        What the step printed so far ends with the prompt bash showed without our markers; the
        re-arm line records that prompt, as bash expands it, and the step's `$?` first
        (`_rearm_record`), so that the step keeps its output and its status (`_rearmed_end`).
        """
        self._before_rearm, self._rearm_state = bytes(self._output), state
        self._output.clear()
        self._typed = False  # what the re-arm line shows until its end marker is not output

    def _rearm_record(self) -> str:
        """The shell words that record `$?` and the expanded prompt (bash 4.4+, `set -u` too)."""
        assert self._rearm_state is not None
        target = shlex.quote(str(self._rearm_state))
        return f'printf "%s\\n%s" "$?" "${{PS1:+${{PS1@P}}}}" >| {target}'

    def _rearmed_end(self, status: int) -> int:
        """The re-armed step's output (its prompt cut off the end) and status, as recorded."""
        state, self._rearm_state = self._rearm_state, None
        assert state is not None
        try:
            recorded = state.read_bytes()
            state.unlink()
        except OSError:  # nothing recorded (a bash without `@P`): compared as it came, prompt too
            self._output[:0] = self._before_rearm
            return status
        first, _, prompt = recorded.partition(b"\n")
        shown = prompt.replace(b"\x01", b"").replace(b"\x02", b"").replace(b"\n", b"\r\n")
        self._output[:0] = _without_prompt(self._before_rearm, shown)
        return int(first) if first.isdigit() else status

    def _done(self) -> Event:
        by_marker = self._end is not None
        end = self._end if self._end is not None else self._statuses.pop(0)
        if self._rearm_state is not None:
            end = (self._rearmed_end(end[0]), end[1])
        if not by_marker or self._probed or end[1] == self._number:
            self._drain = True  # PS1 forked, and may go on doing so (markers: the gate)
        status, self._number = end
        if self._group == -1 and self._terminal is not None:
            self._group = self._terminal.foreground()
        self._numbers[self._group], self._group = end[1], -1
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
        group = self._prompting_bash() if status is not None and not self._resync else -1
        if group is None and number == self._number + 1:
            self._held = (int(status or 0), number, len(self._output))
            return False
        self._group = group  # whose end it is, when known (else -1: asked in `_done`)
        if group != -1 and number == self._numbers.get(group, self._number) + 1:
            self._end = (int(status or 0), number)
        else:
            self._group = -1
            if not any(pending == number for _, pending in self._statuses):
                self._read_statuses()
            if not markers.claim(self._statuses, number):
                return False
            self._end = self._statuses.pop(0)
        self._open = False
        return True

    def _prompting_bash(self) -> int | None:
        """The bash of ours that has the terminal, as it has when it draws its prompt.

        None when a program has it: a marker printed while it runs is held, and taken only if
        bash is then found reading its next line (hooks: `_take_held`). Bash's own number
        counts for each bash: after a nested one exits, the first is in front again.
        """
        assert self._terminal is not None
        if self._observed is not None:  # asked once for this marker: not asked again, later
            (group,), self._observed = self._observed, None
        else:
            group = self._terminal.foreground()
        if group == self._terminal.pid:
            return group  # the usual case: the first bash
        return group if any(group == armed for armed, _ in self._armed) else None

    def _read_chunk(self, fd: int) -> bytes | None:
        """What the terminal has for us (None: nothing after all); ShellGone at its end."""
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            return None
        except OSError:
            chunk = b""
        if not chunk:
            raise ShellGone()
        self._quiet_since = time.monotonic()
        return chunk

    def _read_terminal(self, fd: int) -> bool:
        """Take what the terminal shows; True when it holds a continuation prompt (PS2)."""
        chunk = self._read_chunk(fd)
        if chunk is None:
            return False
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


def _without_prompt(output: bytes, prompt: bytes) -> bytes:
    r"""The output with the prompt that ends it cut off; its digits may have moved since.

    The prompt was expanded again a moment after bash showed it: a clock (`\t`) or a counter
    (`\#`) in it may read otherwise, so each run of digits matches any run of digits.

    >>> _without_prompt(b"out\r\n12:00:59 $ ", b"12:01:00 $ ")
    b'out\r\n'
    >>> _without_prompt(b"out\r\n", b"$ ")
    b'out\r\n'
    """
    if not prompt or output.endswith(prompt):
        return output[: len(output) - len(prompt)]
    parts = re.split(rb"[0-9]+", prompt)
    found = re.search(rb"[0-9]+".join(map(re.escape, parts)) + rb"\Z", output)
    return output[: found.start()] if found else output
