r"""The page's shell: one interactive bash on a pseudo-terminal, typed into like a reader would.

A command is typed line by line; each line waits for bash to ask for the next. Bash says
where it is through its prompts (run.shell.markers): `PS2` prints an invisible sequence with a
per-session token; `PS1` prints the end sequence with `$?` and the command number, and forks
a hook that writes them to a FIFO only when the sequence alone cannot be trusted. No
`PROMPT_COMMAND`, function or variable of the runner's: a page's DEBUG trap does not fire on
the hook, `set -x` does not trace it, and `$?`, `$_` and `PIPESTATUS` survive it. The output
is what the terminal shows between the typed line and the end sequence (not the prompt).
The terminal is a reader's: TERM=xterm-256color, history expansion on, echo and line editing
turned off again before each typed line (run.shell.modes); a program left reading the
terminal with no line to type fails within a second (run.shell.starved). A line longer than
canonical mode holds is typed with the terminal briefly raw (run.shell.terminal); a line left
incomplete is cancelled with Ctrl-C (status 2). After `exec bash` or an overwritten PS1 the
hooks are set again by typing `. RCFILE`. Output is rendered as a terminal shows it
(run.shell.screen; `Typed.raw` keeps the bytes); a timed-out command gets Ctrl-C, SIGTERM,
then SIGKILL, and a command blocked reading the terminal is said to wait for input.
"""

from __future__ import annotations

import os
import shlex
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

from guiderunner.closing import Closing
from guiderunner.run.box.namespace import Box
from guiderunner.run.shell.hooks import Channel
from guiderunner.run.shell.markers import Event, ShellGone
from guiderunner.run.shell.screen import render
from guiderunner.run.shell.terminal import Terminal

INTERRUPT = b"\x03"
GRACE = 3.0  # seconds a command gets to stop after Ctrl-C, then after SIGTERM
SESSION_VARIABLE = "RUNNER_SESSION"
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
    "TERM": "xterm-256color",
    "NO_COLOR": "1",
}
DROPPED_VARIABLES = ("BASH_ENV", "ENV", "PROMPT_COMMAND", "HISTFILE", "PS0", "PS1", "PS2", "PS4")


class ShellDied(Exception):
    """The page's bash exited (an `exit` in the guide, or a crash): later steps cannot run."""


class Typed(NamedTuple):
    """What one typed command gave back.

    Made once per command and read within the run stage: a named tuple, half the cost of a
    frozen dataclass.
    """

    output: bytes
    """What the terminal shows of its output (rendered: `\\r`, backspaces, cursor moves)."""
    status: int | None
    """`$?` after it, None when it had to be interrupted."""
    error: str | None = None
    """Why it did not end normally (timeout, incomplete command)."""
    raw: bytes = b""
    """The bytes it wrote to the terminal, markers removed, before rendering."""


def shell_environment(
    base: Mapping[str, str], extra: Mapping[str, str], nonce: str
) -> dict[str, str]:
    """The variables a page's shell starts with: the caller's, reset, plus the cleanup marker.

    The marker (RUNNER_SESSION) only lets the cleanup find the page's processes, even detached
    ones; it plays no part in telling when a command ends, so printing it changes nothing.
    """
    env = {k: v for k, v in base.items() if k not in DROPPED_VARIABLES}
    env.update(RESET_ENVIRONMENT)
    env["SHELL"] = shutil.which("bash", path=env.get("PATH")) or "/bin/bash"
    env.update(extra)
    env[SESSION_VARIABLE] = nonce
    return env


def quote_ansi_c(text: str) -> str:
    r"""Quote text as bash `$'...'`, so that any text fits on one line.

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


class ShellSession(Closing):
    """A persistent interactive bash for one page; a context manager that always kills it."""

    def __init__(
        self,
        cwd: Path,
        env: Mapping[str, str],
        nonce: str | None = None,
        echo: Callable[[bytes], None] | None = None,
        box: Box | None = None,
        *,
        paused: Callable[[], float] | None = None,
    ) -> None:
        self.nonce = nonce or new_nonce()
        """The cleanup marker (RUNNER_SESSION); not used to tell when a command ends."""
        self._paused = paused or (lambda: 0.0)
        """Seconds spent waiting outside the page (another run's claim): not in any timeout."""
        self._cwd = cwd
        self._env = dict(env)
        self._box = box
        """The kernel's box the shell runs in (run.box.namespace), or None."""
        self._wanted_echo = echo  # set once bash is ready: its start-up is not the page's
        self._child: Terminal | None = None
        self._channel: Channel | None = None
        self._home = ""

    def __enter__(self) -> ShellSession:
        self._home = tempfile.mkdtemp(prefix="runner-shell-")
        try:
            self._channel = Channel(Path(self._home), new_nonce())
            rcfile = self._channel.write_rcfile()
            argv = ["bash", "--noprofile", "--rcfile", str(rcfile), "--noediting", "-i"]
            self._child = Terminal(argv, self._cwd, self._env, self._box)
            self._channel.attach(self._child, argv)
            event = self._channel.wait_prompt(time.monotonic() + 30)
        except ShellGone:
            said = self._last_words()
            self.close()
            raise ShellDied(f"bash did not start: it exited{said}") from None
        except BaseException:
            self.close()
            raise
        if event.kind != Event.DONE:
            self.close()
            raise ShellDied("bash did not start: timeout")
        self._channel.echo = self._wanted_echo
        return self

    def _last_words(self) -> str:
        """Why bash could not start, when its box says (a mount it could not make)."""
        said = self._box.failure() if self._box is not None else None
        return f" ({said})" if said else ""

    @property
    def pid(self) -> int:
        """The bash process id."""
        assert self._child is not None
        return int(self._child.pid)

    @property
    def terminal_fd(self) -> int:
        """The master side of bash's terminal, for a live hand-over (run.shell.interact)."""
        assert self._child is not None
        return self._child.fd

    def run(self, text: str, timeout: float) -> Typed:
        """Type one command, line by line, and return its output and status."""
        try:
            return self._run(text, timeout)
        except ShellGone:
            raise ShellDied(f"the shell exited{self._exit_note()}") from None

    def variable(self, name: str, status: int | None) -> str:
        """A shell variable's value, asked without a trace.

        Not echoed, not recorded, not in history, and `$?` given back as the page's last command
        left it (`status`).
        """
        channel = self._live()
        echo, channel.echo = channel.echo, None
        try:
            restore = status if status is not None else 0
            typed = self._run(
                f" printf '%s' \"${{{name}-}}\"; history -d -1 2>/dev/null; (exit {restore})", 10.0
            )
        finally:
            channel.echo = echo
        return typed.output.decode("utf-8", "replace")

    def _exit_note(self) -> str:
        status = self._child.wait(1.0) if self._child is not None else None
        return f" with status {status}" if status is not None else ""

    def _run(self, text: str, timeout: float) -> Typed:
        channel = self._live()
        lines = text.split("\n")
        base = time.monotonic() + timeout - self._paused()
        channel.start_command()
        event = channel.type_lines(lines, base, self._paused)
        if event.kind != Event.DONE:
            return self._unfinished(event, timeout)
        if ("#" in text or not text.strip()) and not any(
            line.strip() and not line.lstrip().startswith("#") for line in lines
        ):
            return self._result(0)  # blank or comments only: nothing ran, bash keeps the old `$?`
        return self._result(event.status)

    def _unfinished(self, event: Event, timeout: float) -> Typed:
        """A command that did not end by itself: timed out, starved of input, or incomplete."""
        if event.kind == Event.WAITING:
            program = self._live().starving or "a program"
            return self._interrupt(
                timeout,
                f"waiting for input: `{program}` reads the terminal and the step has no more"
                " lines to type (show them in the block, or give the program its input)",
            )
        if event.kind == Event.MORE:
            return self._cancel_incomplete()
        return self._interrupt(timeout)

    def _live(self) -> Channel:
        if self._channel is None or self._child is None:
            raise ShellDied("the shell is not running")
        return self._channel

    def _result(self, status: int | None, error: str | None = None) -> Typed:
        channel = self._live()
        raw = channel.take_output()
        return Typed(render(raw), status, error, raw)

    def _cancel_incomplete(self) -> Typed:
        """Bash still wants lines after the last one: Ctrl-C, as a reader would."""
        channel = self._live()
        channel.write(INTERRUPT)
        channel.wait_prompt(time.monotonic() + GRACE)
        return self._result(
            SYNTAX_ERROR_STATUS, "incomplete command: bash is still waiting for more lines"
        )

    def _interrupt(self, timeout: float, error: str | None = None) -> Typed:
        """Ctrl-C, then SIGTERM and SIGKILL to the foreground job; the shell must come back."""
        channel = self._live()
        assert self._child is not None
        if error is None:
            waiting = bool(self._child.readers())
            error = f"timed out{' waiting for input' if waiting else ''} after {timeout:g}s"
        for action in (channel.interrupt, channel.terminate, channel.kill):
            action()
            event = channel.wait_prompt(time.monotonic() + GRACE)
            if event.kind == Event.DONE:
                return self._result(None, error)
        raise ShellDied(f"{error} and the shell did not come back")

    def close(self) -> None:
        """Kill bash and its whole session, remove the FIFO; never raises.

        In a box, ending the box ends the session: the kernel kills every process of its PID
        namespace, found or not, and says when they are gone (its services have stopped
        already: they started after the shell).
        """
        child, self._child = self._child, None
        channel, self._channel = self._channel, None
        if child is not None:
            if self._box is not None:
                self._box.close()
            child.close(session_ended=self._box is not None)
        if channel is not None:
            channel.close()
        if self._home:
            shutil.rmtree(self._home, ignore_errors=True)

    def save_state(self, path: Path) -> None:
        """Write the shell's exported variables and directory, for a service to start from."""
        script = f'{{ export -p; printf "cd -- %q\\n" "$PWD"; }} > {shlex.quote(str(path))}'
        result = self.run(script, 10)
        if result.status != 0:
            raise ShellDied("could not read the shell's state")
