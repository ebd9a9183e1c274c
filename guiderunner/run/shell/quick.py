"""The usual command's short way: one line typed, its output and PS1's markers read in a go.

Nearly every step is one short line that prints a little and ends at once. Bash then shows
its output and one prompt: PS1's end marker (`$?` and the next command number), the visible
`$ `, the drawn marker. `Quick.quick_line` types such a line and reads that shape with byte
searches and a split at known spots; it is taken only in the state the full machine would
take it in (at the prompt, prompt all in, nothing pending, no FIFO to drain, no line editing
to look for), and only for the end marker the full machine would take without the FIFO (the
next command number, with our bash in front). Anything else (a first chunk that is late, a
marker it does not expect, another escape sequence before the end) goes, untouched, to the
full parse (listen.Listener `_scan`), judged on the foreground already asked, and
hooks.Channel.wait_prompt takes over: raw mode, line editing, prompts elsewhere, replayed
markers and deadlines stay that machine's.
"""

from __future__ import annotations

import select
import time

from guiderunner.run.shell import modes
from guiderunner.run.shell.listen import Listener
from guiderunner.run.shell.markers import MORE, TIMEOUT, Event, ShellGone

QUICK_WAIT = 0.05  # seconds the short way waits for a chunk before the full machine takes over


class Quick(Listener):
    """The listener, plus the short way for the usual one-line command."""

    def __init__(self, token: str, status_fd: int) -> None:
        super().__init__(token, status_fd)
        self._may_edit = False  # could the last command have turned line editing on?
        self._end_prefix = b"\x1b]777;" + token.encode() + b";1;"
        self._drawn_prefix = b"\x1b]777;" + token.encode() + b";3;"
        self._poller: select.poll | None = None

    def usual(self) -> bool:
        """Is the stream where the short way may start: at a prompt that is all in, no debt?"""
        return not (
            self._typed
            or self._in_prompt
            or self._may_edit
            or self._drain
            or self._pending
            or self._resync
            or self._statuses
            or self._end is not None
            or self._rearm_state is not None
            or not self._prompt_marked
        )

    def quick_line(self, line: str, deadline: float) -> Event | None:
        """Type `line` (the caller saw `usual()`); DONE when it ended the usual way.

        None: the line is typed and what was read is parsed; the caller waits on as usual
        (hooks.Channel.wait_prompt). TIMEOUT: it could not be typed in time. MORE: PS2 came.
        """
        terminal = self._terminal
        assert terminal is not None
        self._typed, self._open, self._held, self._probed = True, True, None, False
        self._may_edit = modes.may_edit(line)
        if not self._type_now(line, deadline):
            return TIMEOUT
        fd, poller = terminal.fd, self._poller
        if poller is None:
            poller = self._poller = select.poll()  # fd sets are not rebuilt for each wait
            poller.register(fd, select.POLLIN)
        while poller.poll(min(QUICK_WAIT, max(0.0, deadline - time.monotonic())) * 1000):
            chunk = self._read_chunk(fd)
            if chunk is None:
                return None
            escape = chunk.find(b"\x1b")
            if escape < 0:
                self._take(chunk)  # plain output: no marker to look for
                continue
            more = self._quick_end(chunk, escape)
            if more is None:  # not the usual shape: the full parse, as wait_prompt reads it
                more = self._scan(chunk)
                self._observed = None
            elif not more:
                return self._done()
            return MORE if more else None
        return None

    def _type_now(self, line: str, deadline: float) -> bool:
        """Type `line` now, the terminal's typing modes set back first; False if not in time."""
        assert self._terminal is not None
        self._quiet_since = time.monotonic()
        try:
            modes.typing_modes(self._terminal.fd)
            return self._terminal.type_line(line.encode(), deadline)
        except OSError as error:  # EIO: the other side of the terminal is gone
            raise ShellGone() from error

    def _quick_end(self, chunk: bytes, escape: int) -> bool | None:
        """Is the first escape of `chunk` the end marker of this command, taken at once?

        What `_scan` would make of it: the output before it taken, the end recorded, the rest
        (the prompt, its drawn marker) parsed as usual; True when that rest held PS2's marker.
        None: not such a marker, nothing is taken.
        """
        start = escape + len(self._end_prefix)
        bell = chunk.find(b"\x07", start)
        if bell < 0 or not chunk.startswith(self._end_prefix, escape):
            return None
        status, _, number = chunk[start:bell].partition(b";")  # `$?;N`, as markers parses it
        terminal = self._terminal
        if terminal is None or not (status.isdigit() and number.isdigit()):
            return None
        bash, group = terminal.pid, terminal.foreground()
        if group != bash or int(number) != self._numbers.get(bash, self._number) + 1:
            self._observed = (group,)  # the full parse judges this marker on what was seen
            return None
        if escape:
            self._take(chunk[:escape])
        self._end, self._group, self._open = (int(status), int(number)), bash, False
        self._typed, self._in_prompt = False, True
        rest = chunk[bell + 1 :]
        drawn = rest.find(b"\x1b")
        if drawn >= 0 and self._drawn(rest, drawn):
            self._in_prompt, self._prompt_marked = False, True  # the prompt is all in
            return False
        return bool(rest) and self._scan(rest)

    def _drawn(self, rest: bytes, escape: int) -> bool:
        """Is `rest` the prompt (no escape), then PS1's drawn marker, and nothing else?"""
        prefix = self._drawn_prefix
        return (
            rest.endswith(b"\x07")
            and rest.startswith(prefix, escape)
            and rest[escape + len(prefix) : -1].isdigit()
        )
