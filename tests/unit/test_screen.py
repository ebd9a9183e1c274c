"""What a terminal shows of raw output bytes (guiderunner.run.shell.screen)."""

from __future__ import annotations

import pytest

from guiderunner.run.shell.screen import render


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (b"plain\r\nlines\r\n", b"plain\nlines\n"),
        (b"no newline", b"no newline"),
        (b"abcdef\rXY\r\n", b"XYcdef\n"),
        (b"abc\b\bZ\r\n", b"aZc\n"),
        (b"10%\r50%\r100%\r\n", b"100%\n"),
        (b"downloading\x1b[2K\rdone\r\n", b"done\n"),
        (b"step 1\r\nstep 2\r\n\x1b[2A\x1b[2Kfirst\r\n\r\n", b"first\nstep 2\n"),
        (b"\x1b[1mbold\x1b[0m and \x1b[31mred\x1b[0m\r\n", b"bold and red\n"),
        (b"a\tb\r\n\x1b[0m", b"a\tb\n"),
        (b"caf\xc3\xa9\rC\r\n", "Caf\u00e9\n".encode()),
    ],
)
def test_render_shows_what_a_terminal_shows(raw: bytes, shown: bytes) -> None:
    assert render(raw) == shown


def test_a_long_line_is_not_wrapped_at_80_columns() -> None:
    line = b"x" * 300
    assert render(line + b"\n" + b"y" * 200 + b"\r\n") == line + b"\n" + b"y" * 200 + b"\n"


def test_a_return_after_80_columns_goes_back_to_the_wrapped_row() -> None:
    # issue 22: on the reader's 80-column terminal the 300 x's take rows of 80, 80, 80 and 60;
    # `\r` goes back to the start of the last one, which `ESC [K` clears, so the line reads
    # 240 x's and then what came after the `\r`.
    line = b"x" * 300
    assert render(line + b"\r\x1b[K" + b"done" + b"\r\n") == b"x" * 240 + b"done\n"
    assert render(b"a" * 100 + b"\rXY\r\n") == b"a" * 80 + b"XY" + b"a" * 18 + b"\n"
    assert render(b"a" * 80 + b"\rXY\r\n") == b"XY" + b"a" * 78 + b"\n"  # wrap still pending


def test_plain_output_keeps_tabs_and_trailing_spaces() -> None:
    assert render(b"a\tb  \r\n") == b"a\tb  \n"


def test_a_progress_line_in_a_long_log_changes_only_itself() -> None:
    plain = [f"line {n}  ".encode() for n in range(200)]
    raw = b"\r\n".join([*plain[:100], b"10%\r100%", *plain[100:], b""])
    shown = render(raw).split(b"\n")
    assert shown == [*plain[:100], b"100%", *plain[100:], b""]


def test_a_cursor_moving_up_rewrites_lines_already_shown() -> None:
    raw = b"".join(f"layer {n}: waiting\r\n".encode() for n in range(3))
    raw += b"\x1b[3A" + b"".join(f"\x1b[2Klayer {n}: done\r\n".encode() for n in range(3))
    assert render(raw) == b"layer 0: done\nlayer 1: done\nlayer 2: done\n"
