"""The short way (run/shell/quick.py) hands a marker it leaves to the full parse with the
foreground it saw: asked again later, a program's forged next number could meet bash between
two jobs and end the command (seen in tests/e2e/test_shell_markers.py, 2 runs in 12)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from guiderunner.run.shell.hooks import Channel
from guiderunner.run.shell.markers import Event

BASH = os.getpid()
PROGRAM = BASH + 1_000_000  # a process group that is not bash's


class ScriptedTerminal:
    """A pty whose other side prints what each typed line is scripted to print."""

    def __init__(self, foregrounds: list[int]) -> None:
        self.fd, self._slave = os.openpty()
        self.tty = os.ttyname(self._slave)
        self.pid = BASH
        self.answers: list[bytes] = []
        self._foregrounds = foregrounds  # what tcgetpgrp answers, one call after the other

    def type_line(self, line: bytes, deadline: float) -> bool:
        os.write(self._slave, self.answers.pop(0))
        return True

    def print(self, data: bytes) -> None:
        os.write(self._slave, data)

    def foreground(self) -> int:
        return self._foregrounds.pop(0) if len(self._foregrounds) > 1 else self._foregrounds[0]

    def close(self) -> None:
        os.close(self.fd)
        os.close(self._slave)


@pytest.fixture
def channel(tmp_path: Path) -> Iterator[tuple[Channel, ScriptedTerminal]]:
    channel = Channel(tmp_path, "tok")
    terminal = ScriptedTerminal([BASH])
    channel.attach(terminal, ["bash"])  # type: ignore[arg-type]
    os.write(channel._keep_open, b"0 1\n")  # the first prompt's status, as PS1's gate writes it
    terminal.print(b"\x1b]777;tok;1;0;1\x07$ \x1b]777;tok;3;1\x07")
    assert channel.wait_prompt(time.monotonic() + 5).kind == Event.DONE
    try:
        yield channel, terminal
    finally:
        channel.close()
        terminal.close()


def test_the_next_number_seen_while_a_program_has_the_terminal_is_held(channel) -> None:
    shell, terminal = channel
    assert shell.usual()
    terminal._foregrounds[:] = [PROGRAM, BASH]  # the program, then bash between two jobs
    terminal.answers.append(b"\x1b]777;tok;1;0;2\x07")  # the program prints the next number
    event = shell.quick_line("env printf ...; sleep 1", time.monotonic() + 5)
    assert event is None
    assert shell._end is None  # not taken: the full parse judged it on the program's turn
    assert shell._held is not None  # held until bash is seen at its prompt


def test_the_usual_end_is_taken_the_short_way(channel) -> None:
    shell, terminal = channel
    terminal.answers.append(b"out\n\x1b]777;tok;1;3;2\x07$ \x1b]777;tok;3;2\x07")
    event = shell.quick_line("echo out; (exit 3)", time.monotonic() + 5)
    assert event is not None
    assert (event.kind, event.status, shell.take_output()) == (Event.DONE, 3, b"out\r\n")
    assert shell.usual()  # the prompt is all in: the next command may go the short way too
