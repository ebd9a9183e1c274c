"""The asciicast v2 writer: markers, masking, shortened pauses, no runner markers, whole UTF-8.

Times are made up (the recorder takes them from its caller), so nothing here sleeps. The last
test feeds it a real bash through the page's shell session, as `runner verify --record` will.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from guiderunner.report.asciicast import Recorder, step_label
from guiderunner.report.recording import Marker, read_markers
from guiderunner.run.shell.session import RESET_ENVIRONMENT, ShellSession

SECRET = "hunter2-s3cr3t"


def load(path: Path) -> tuple[dict[str, object], list[list[object]]]:
    """The header and the events, checking every line is what asciicast v2 allows."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    events = [json.loads(line) for line in lines[1:]]
    for event in events:
        assert isinstance(event, list)
        assert len(event) == 3
        assert isinstance(event[0], float | int)
        assert event[1] in ("o", "m")
        assert isinstance(event[2], str)
    times = [event[0] for event in events]
    assert times == sorted(times), "event times never go back"
    return header, events


def screen(events: list[list[object]]) -> str:
    return "".join(str(e[2]) for e in events if e[1] == "o")


def mask_secret(text: str) -> str:
    return text.replace(SECRET, "***")


def test_header_is_asciicast_v2(tmp_path: Path):
    path = tmp_path / "page.cast"
    with Recorder(path, "docs/a.md") as recorder:
        recorder.output(b"hello\r\n", 10.0)
    header, events = load(path)
    assert header["version"] == 2
    assert (header["width"], header["height"]) == (80, 24)
    assert header["title"] == "docs/a.md"
    assert header["env"] == {"TERM": "dumb", "SHELL": "/bin/bash"}
    assert isinstance(header["timestamp"], int)
    assert header["shortened"] is None
    assert events == [[0.0, "o", "hello\r\n"]]


def test_commands_and_step_markers(tmp_path: Path):
    path = tmp_path / "page.cast"
    with Recorder(path, "page", command_pause=0) as recorder:
        recorder.marker(step_label(12, "echo one"), 1.0)
        recorder.command("echo one", 1.0)
        recorder.output(b"one\r\n", 1.25)
        recorder.marker(step_label(20, "cat <<EOF\nx\nEOF"), 1.5)
        recorder.command("cat <<EOF\nx\nEOF", 1.5)
        recorder.output(b"x\r\n", 1.75)
    _, events = load(path)
    assert [e for e in events if e[1] == "m"] == [
        [0.0, "m", "12: echo one"],
        [1.25, "m", "20: cat <<EOF …"],  # a step pause after "one"
    ]
    assert screen(events) == "$ echo one\r\none\r\n$ cat <<EOF\r\n> x\r\n> EOF\r\nx\r\n"
    assert read_markers(path) == (
        Marker(0.0, "12: echo one", 12),
        Marker(1.25, "20: cat <<EOF …", 20),
    )


def test_secrets_are_masked_everywhere_even_split_across_reads(tmp_path: Path):
    path = tmp_path / "page.cast"
    with Recorder(path, f"title {SECRET}", mask=mask_secret) as recorder:
        recorder.marker(step_label(3, f"login -p {SECRET}"), 0.0)
        recorder.command(f"login -p {SECRET}", 0.0)
        half = len(SECRET) // 2
        recorder.output(f"token: {SECRET[:half]}".encode(), 0.1)
        recorder.output(f"{SECRET[half:]} ok\r\n".encode(), 0.2)
        recorder.output(f"last line {SECRET}".encode(), 0.3)  # never ended by a newline
    text = path.read_text(encoding="utf-8")
    assert SECRET not in text
    assert SECRET[: len(SECRET) // 2] not in text
    header, events = load(path)
    assert header["title"] == "title ***"
    assert "token: *** ok\r\n" in screen(events)
    assert screen(events).endswith("last line ***")
    assert read_markers(path)[0].label == "3: login -p ***"


def test_long_pauses_are_shortened_and_the_header_says_so(tmp_path: Path):
    path = tmp_path / "page.cast"
    with Recorder(path, "page", step_pause=0.0) as recorder:
        recorder.marker("1: build", 100.0)
        recorder.output(b"step 1\r\n", 101.0)  # 1 s: kept
        recorder.output(b"step 2\r\n", 103.0)  # 2 s: kept (not over the limit)
        recorder.output(b"step 3\r\n", 223.0)  # a two-minute silence
        recorder.marker("9: run", 223.5)
    header, events = load(path)
    assert [e[0] for e in events] == [0.0, 1.0, 3.0, 3.5, 4.0]
    assert header["shortened"] == {
        "real_duration": 123.5,
        "played_duration": 4.0,
        "pauses_over": 2.0,
        "played_as": 0.5,
    }


def test_fast_steps_leave_the_reader_time_to_read(tmp_path: Path):
    path = tmp_path / "page.cast"
    with Recorder(path, "page", step_pause=1.5, command_pause=0) as recorder:
        for n in range(3):  # three commands done within 30 ms
            recorder.marker(f"{n}: true", n * 0.01)
            recorder.command("true", n * 0.01)
            recorder.output(b"ok\r\n", n * 0.01 + 0.005)
    header, events = load(path)
    assert [e[0] for e in events if e[1] == "m"] == [0.0, 1.505, 3.01]
    assert header["step_pause"] == 1.5
    assert header["shortened"] is None, "nothing was cut"


def test_a_command_shows_alone_before_its_output(tmp_path: Path):
    path = tmp_path / "page.cast"
    with Recorder(path, "page", command_pause=0.25) as recorder:
        recorder.marker("1: echo hi", 0.0)
        recorder.command("echo hi", 0.0)
        recorder.output(b"hi\r\n", 0.0004)  # a fast command: output within a millisecond
    _, events = load(path)
    assert [(e[0], e[1]) for e in events] == [(0.0, "m"), (0.0, "o"), (0.2504, "o")]


def test_the_pause_limits_can_be_chosen(tmp_path: Path):
    path = tmp_path / "page.cast"
    with Recorder(path, "page", longest_pause=10.0, pause_shown_as=1.0, step_pause=0) as recorder:
        recorder.output(b"a\r\n", 0.0)
        recorder.output(b"b\r\n", 9.0)
        recorder.output(b"c\r\n", 30.0)
    header, events = load(path)
    assert [e[0] for e in events] == [0.0, 9.0, 10.0]
    assert header["shortened"]["real_duration"] == 30.0


@pytest.mark.parametrize("terminator", [b"\x07", b"\x1b\\"])
def test_runner_markers_never_get_in_even_split_across_reads(tmp_path: Path, terminator: bytes):
    path = tmp_path / "page.cast"
    mark = b"\x1b]777;0123456789abcdef;0;-1" + terminator
    with Recorder(path, "page") as recorder:
        recorder.output(b"before" + mark + b"after\r\n", 0.0)
        for cut in (3, 9, len(mark) - 1):
            recorder.output(b"x" + mark[:cut], 0.1)
            recorder.output(mark[cut:] + b"y\r\n", 0.2)
        recorder.output(b"end" + mark[:7], 0.3)  # cut short by the end of the run
    text = path.read_text(encoding="utf-8")
    assert "777" not in text
    assert "\\u001b]" not in text
    _, events = load(path)
    assert screen(events) == "beforeafter\r\n" + "xy\r\n" * 3 + "end"


def test_other_escape_sequences_are_kept(tmp_path: Path):
    path = tmp_path / "page.cast"
    with Recorder(path, "page") as recorder:
        recorder.output(b"\x1b[1mbold\x1b", 0.0)
        recorder.output(b"[0m\r\n\x1b]0;title\x07", 0.1)
    _, events = load(path)
    assert screen(events) == "\x1b[1mbold\x1b[0m\r\n\x1b]0;title\x07"


def test_a_character_split_across_reads_stays_whole(tmp_path: Path):
    path = tmp_path / "page.cast"
    text = "Créer des images ✓ 🐳\r\n".encode()
    with Recorder(path, "page") as recorder:
        for i in range(len(text)):  # one byte per read: every character is cut somewhere
            recorder.output(text[i : i + 1], i / 100)
    _, events = load(path)
    assert screen(events) == "Créer des images ✓ 🐳\r\n"
    assert "\ufffd" not in path.read_text(encoding="utf-8")


def test_an_unfinished_character_at_the_end_is_replaced_not_lost(tmp_path: Path):
    path = tmp_path / "page.cast"
    with Recorder(path, "page") as recorder:
        recorder.output("ok é".encode()[:-1], 0.0)
    _, events = load(path)
    assert screen(events) == "ok \ufffd"


def test_close_twice_writes_once_and_leaves_no_partial_file(tmp_path: Path):
    path = tmp_path / "deep" / "page.cast"
    recorder = Recorder(path, "page")
    recorder.output(b"a\r\n", 0.0)
    recorder.close()
    first = path.read_text(encoding="utf-8")
    recorder.close()
    assert path.read_text(encoding="utf-8") == first
    assert [p.name for p in path.parent.iterdir()] == ["page.cast"]


@pytest.mark.timeout(60)
def test_a_real_bash_session_records_cleanly(tmp_path: Path):
    """What ShellSession echoes, recorded: the commands' output and no prompt markers."""
    path = tmp_path / "page.cast"
    steps = [
        (3, "echo hello"),
        (5, "printf 'caf\\xc3\\xa9\\n'"),
        (7, f"echo {SECRET}"),
        (9, "false"),
    ]
    env = {**os.environ, **RESET_ENVIRONMENT}
    with Recorder(path, "page", mask=mask_secret) as recorder:

        def echo(data: bytes) -> None:
            recorder.output(data, time.monotonic())

        with ShellSession(tmp_path, env, echo=echo) as shell:
            statuses = []
            for line, command in steps:
                now = time.monotonic()
                recorder.marker(step_label(line, command), now)
                recorder.command(command, now)
                statuses.append(shell.run(command, 20).status)
    assert statuses == [0, 0, 0, 1]
    raw = path.read_text(encoding="utf-8")
    assert "]777;" not in raw  # OSC 777 (a time may hold 777)
    assert SECRET not in raw
    _, events = load(path)
    shown = re.sub(r"\r", "", screen(events))
    assert (
        shown
        == "$ echo hello\nhello\n$ printf 'caf\\xc3\\xa9\\n'\ncafé\n$ echo ***\n***\n$ false\n"
    )
    assert [m.line for m in read_markers(path)] == [3, 5, 7, 9]
