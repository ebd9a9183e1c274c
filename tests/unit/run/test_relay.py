"""The relay's terminal handling: raw while it lasts, as it was afterwards, whatever happens."""

from __future__ import annotations

import os
import termios
import tty

import pytest

from guiderunner.run.shell.relay import Ended, MarkerFilter, drain, raw_terminal, relay


def test_the_terminal_comes_back_as_it_was_after_an_error():
    main, side = os.openpty()
    try:
        before = termios.tcgetattr(side)
        seen: list[int] = []

        def fail_while_raw() -> None:
            with raw_terminal(side):
                seen.append(termios.tcgetattr(side)[3] & termios.ICANON)
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            fail_while_raw()
        assert seen == [0]
        assert termios.tcgetattr(side) == before
    finally:
        os.close(main)
        os.close(side)


def test_ctrl_bracket_ends_the_relay_and_what_came_before_it_is_passed_on():
    keyboard_main, keyboard = os.openpty()
    program_main, program = os.openpty()
    screen_read, screen = os.pipe()
    tty.setraw(program)  # the keys are read as they come, not line by line
    try:
        os.write(program, b"prompt\x1b]777;ab;3\x07 ")
        os.write(keyboard_main, b"ls\x1dignored")
        assert relay(keyboard, screen, program_main) is Ended.ESCAPE
        assert drain(program, 0.2).endswith(b"ls")  # the program's side received the keys
        os.close(screen)
        assert os.read(screen_read, 100) == b"prompt "  # the marker never shows
    finally:
        for fd in (keyboard_main, keyboard, program_main, program, screen_read):
            os.close(fd)


def test_a_marker_cut_in_three_reads_is_dropped():
    strip = MarkerFilter()
    pieces = [strip(b"x\x1b]7"), strip(b"77;0f;"), strip(b"1\x07y")]
    assert b"".join(pieces) == b"xy"
