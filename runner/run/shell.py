"""The page's shell: one interactive bash on a pseudo-terminal, typed into like a reader would.

Each command is typed as one line, `eval $'...'`, so that multi-line commands and heredocs need
no continuation prompt and an incomplete command fails at once (a bash syntax error, status 2)
instead of waiting for more input. The command's own stdin is still the terminal.
After the command, a shell function saves `$?`; the prompt (PS1) prints it inside an invisible
escape sequence that holds a per-session nonce, so no output can fake it, and then resets it.
Should bash skip the rest of a line it cannot parse, the prompt says so (status 2, like bash).
Only the bytes that arrive after the last scan are searched, so a long output costs nothing
more per command.
"""

from __future__ import annotations

import os
import re
import select
import signal
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from runner.run.terminal import Terminal

MARK = b"\x1b]777;"
BELL = b"\x07"
INTERRUPT = b"\x03"
GRACE = 3.0  # seconds a command gets to stop after Ctrl-C, then after SIGTERM
SESSION_VARIABLE = "RUNNER_SESSION"
DONE_FUNCTION = "__runner_done"
STATUS_VARIABLE = "__runner_status"
SYNTAX_ERROR_STATUS = 2  # what bash sets `$?` to when it cannot parse a command

# What every page starts from, whatever the caller's shell had (cram and prysk do the same).
RESET_ENVIRONMENT: Mapping[str, str] = {
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "TZ": "GMT",
    "COLUMNS": "80",
    "LINES": "24",
    "CDPATH": "",
    "PAGER": "cat",
    "GIT_PAGER": "cat",
    "TERM": "dumb",
    "NO_COLOR": "1",
}
DROPPED_VARIABLES = ("BASH_ENV", "ENV", "PROMPT_COMMAND", "HISTFILE", "PS1", "PS2", "PS4")


class ShellDied(Exception):
    """The page's bash exited (an `exit` in the guide, or a crash): later steps cannot run."""


@dataclass(frozen=True, slots=True)
class Typed:
    """What one typed command gave back."""

    output: bytes
    """Everything it printed, markers removed."""
    status: int | None
    """`$?` after it, None when it had to be interrupted."""
    error: str | None = None
    """Why it did not end normally (timeout, incomplete command)."""


def shell_environment(
    base: Mapping[str, str], extra: Mapping[str, str], nonce: str
) -> dict[str, str]:
    """The variables a page's shell starts with: the caller's, reset, plus the session marker."""
    env = {k: v for k, v in base.items() if k not in DROPPED_VARIABLES}
    env.update(RESET_ENVIRONMENT)
    env.update(extra)
    env[SESSION_VARIABLE] = nonce
    return env


def quote_ansi_c(text: str) -> str:
    r"""Quote text as bash `$'...'`, so that any command fits on one typed line.

    >>> quote_ansi_c("echo 'a'\necho b")
    "$'echo \\'a\\'\\necho b'"
    """
    return "$'" + text.translate(_ANSI_C) + "'"


_ANSI_C = {
    **{code: f"\\x{code:02x}" for code in (*range(32), 127)},
    ord("\\"): "\\\\",
    ord("'"): "\\'",
    ord("\n"): "\\n",
    ord("\t"): "\\t",
}


def new_nonce() -> str:
    """A marker no output can guess (os.urandom: `secrets` costs more to import)."""
    return os.urandom(8).hex()


class ShellSession:
    """A persistent interactive bash for one page; a context manager that always kills it."""

    def __init__(
        self,
        cwd: Path,
        env: Mapping[str, str],
        nonce: str | None = None,
        echo: Callable[[bytes], None] | None = None,
    ) -> None:
        self.nonce = nonce or new_nonce()
        self._cwd = cwd
        self._env = dict(env)
        self._echo: Callable[[bytes], None] | None = None
        self._wanted_echo = echo  # set once bash is ready: its start-up is not the page's
        self._child: Terminal | None = None
        self._prompt = MARK + self.nonce.encode() + b";"
        self._marker = re.compile(re.escape(self._prompt) + rb"(-?\d+);-1" + BELL)

    def __enter__(self) -> ShellSession:
        self._child = Terminal(
            ["bash", "--noprofile", "--norc", "--noediting", "-i"], self._cwd, self._env
        )
        # One marker per command: PS1 prints the status that the done function saved, then
        # resets it to -1, so a prompt still saying -1 means bash skipped the line.
        status, done = STATUS_VARIABLE, DONE_FUNCTION
        setup = (
            f"PS1=$'\\e]777;{self.nonce};'\"\\${{{status}}};\\$(({status}=-1))\"$'\\a'; "
            "PS2=; unset PROMPT_COMMAND HISTFILE; set +o history; "
            f"{done}() {{ {status}=$?; return ${status}; }}; {done}"
        )
        self._type(setup)
        result = self._collect(time.monotonic() + 30)
        if result.error is not None:
            self.close()
            raise ShellDied(f"bash did not start: {result.error}")
        self._echo = self._wanted_echo
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def pid(self) -> int:
        """The bash process id."""
        assert self._child is not None
        return int(self._child.pid)

    def run(self, text: str, timeout: float) -> Typed:
        """Type one command, wait for the prompt, and return its output and status."""
        self._type(f"eval {quote_ansi_c(text)}; {DONE_FUNCTION}")
        result = self._collect(time.monotonic() + timeout)
        if result.status is not None or result.error != "timeout":
            return result
        return self._interrupt(result, timeout)

    def close(self) -> None:
        """Kill bash and its process group; never raises."""
        child, self._child = self._child, None
        if child is None:
            return
        child.close()

    def _type(self, line: str) -> None:
        assert self._child is not None
        os.write(self._child.fd, line.encode() + b"\n")

    def _collect(self, deadline: float) -> Typed:
        """Read until the next prompt; only new bytes are scanned for markers.

        The last few bytes of what has arrived are held back until the next read, since they
        may be the start of a marker: so the output, and what is echoed live, never hold one.
        """
        assert self._child is not None
        fd, buffer, scanned = self._child.fd, bytearray(), 0
        output = bytearray()
        while True:
            match = self._marker.search(buffer, scanned)
            if match is not None:
                self._emit(output, buffer[scanned : match.start()])
                status = int(match[1])
                if status < 0:  # the prompt came back without the status: bash skipped the line
                    return Typed(bytes(output), SYNTAX_ERROR_STATUS, "bash could not parse it")
                return Typed(bytes(output), status)
            chunk = self._read(fd, deadline)
            if chunk is None:
                self._emit(output, buffer[scanned:])
                return Typed(bytes(output), None, "timeout")
            keep = max(scanned, len(buffer) - len(self._prompt) - 8)
            self._emit(output, buffer[scanned:keep])
            del buffer[:keep]
            scanned = 0
            buffer += chunk

    def _emit(self, output: bytearray, piece: bytearray) -> None:
        output += piece
        if self._echo is not None and piece:
            self._echo(bytes(piece))

    def _read(self, fd: int, deadline: float) -> bytes | None:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return None
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            raise ShellDied(f"the shell exited{self._exit_note()}")
        return chunk

    def _exit_note(self) -> str:
        status = self._child.wait(1.0) if self._child is not None else None
        return f" with status {status}" if status is not None else ""

    def _interrupt(self, partial: Typed, timeout: float) -> Typed:
        """Ctrl-C, then SIGTERM and SIGKILL to the foreground job; the shell must come back."""
        assert self._child is not None
        fd, output = self._child.fd, partial.output
        for action in (self._ctrl_c, self._terminate, self._kill):
            action(fd)
            after = self._collect(time.monotonic() + GRACE)
            output += after.output
            if after.status is not None:
                return Typed(output, None, f"timed out after {timeout:g}s")
        raise ShellDied(f"timed out after {timeout:g}s and the shell did not come back")

    def _ctrl_c(self, fd: int) -> None:
        os.write(fd, INTERRUPT)

    def _terminate(self, fd: int) -> None:
        self._signal_foreground(fd, signal.SIGTERM)

    def _kill(self, fd: int) -> None:
        self._signal_foreground(fd, signal.SIGKILL)

    def _signal_foreground(self, fd: int, sig: signal.Signals) -> None:
        try:
            group = os.tcgetpgrp(fd)
            if group != self.pid:
                os.killpg(group, sig)
        except OSError:
            pass

    def save_state(self, path: Path) -> None:
        """Write the shell's exported variables and directory, for a service to start from."""
        script = f'{{ export -p; printf "cd -- %q\\n" "$PWD"; }} > {quote_ansi_c(str(path))}'
        result = self.run(script, 10)
        if result.status != 0:
            raise ShellDied("could not read the shell's state")
