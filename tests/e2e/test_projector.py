"""`runner step` on a real terminal (a pty), read back as a terminal shows it (termscraper).

One step per screen at 80x24 and at 200x60: the prose before the step, the speaker note, the
command, its output as it comes; next, back (not run again), goto, search, the `?` overlay,
one footer; `q` quits with status 0.
"""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import pexpect
import pytest
import termscraper  # type: ignore[import-untyped]

from tests.conftest import ROOT
from tests.e2e.test_workshop import wait_exit

NOTE = "The audience usually asks why N is not reset"
PAGE = """
# Workshop

## Greet the room

The first command counts its runs in the shell variable `N`, so that running it twice would
show. {filler}

<!-- runner: note {note} -->
```console
$ N=$((N+1)); echo "hello from run $N"
hello from run 1
```

## List

```console
$ printf 'alpha\\nbeta\\n'
alpha
beta
```

## Count the runs

```console
$ echo "runs: $N"
runs: 1
```
"""
FILLER = " ".join(["Every word of this paragraph is prose the room reads before the step."] * 12)
SIZES = [(80, 24), (200, 60)]


class Terminal:
    """The presenter's terminal: what the program wrote, as a screen of this size shows it."""

    def __init__(self, child: pexpect.spawn, columns: int, rows: int) -> None:
        self.child = child
        self.columns = columns
        self.screen = termscraper.Screen(columns, rows, track_dirty_lines=False)
        self.stream = termscraper.Stream(self.screen)
        self.raw = ""
        child.logfile_read = self

    def write(self, text: str) -> None:
        self.raw += text
        self.stream.feed(text)

    def flush(self) -> None:
        return None

    def settle(self, quiet: float = 0.3) -> None:
        """Read what the program still writes until it is quiet: a screen is drawn in pieces.

        Output read here stays in pexpect's buffer, so a later expect still finds it.
        """
        self.child.expect([pexpect.TIMEOUT, pexpect.EOF], timeout=quiet)

    def rows(self) -> list[str]:
        self.settle()
        return [str(row) for row in self.screen.compressed_display(rstrip=True)]

    def text(self) -> str:
        return "\n".join(self.rows())

    def key(self, keys: str, *wanted: str) -> None:
        """Send keys, then wait for each wanted text in the output, in order."""
        self.child.send(keys)
        for text in wanted:
            self.child.expect_exact(text)


def present(path: Path, columns: int, rows: int) -> Terminal:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "guiderunner", "step", str(path)],
        cwd=str(path.parent),
        env=env,
        encoding="utf-8",
        timeout=20,
        dimensions=(rows, columns),
    )
    return Terminal(child, columns, rows)


@pytest.mark.parametrize(("columns", "rows"), SIZES)
def test_one_step_per_screen_with_its_prose_note_and_footer(page, columns, rows):
    path = page(PAGE.format(filler=FILLER, note=NOTE))
    term = present(path, columns, rows)
    term.child.expect_exact("[Enter] run")
    screen = term.rows()
    assert screen[0].startswith("--- step 1 of 3 | Greet the room |"), screen
    assert screen[-1].startswith("[Enter] run   [o] live shell"), screen
    assert term.text().count("[Enter] run") == 1, "one footer"
    assert f"note: {NOTE}" in term.text()
    assert f"\x1b[2mnote: {NOTE}" in term.raw, "the note is dimmed"
    assert '$ N=$((N+1)); echo "hello from run $N"' in term.text()
    assert "hello from run 1" not in term.text().replace('"hello from run $N"', "")
    assert "shell variable `N`" in term.text() or rows < 60, "inline code is kept"
    if rows == 24:
        assert screen[2] == "...", "the prose is cut from the top to fit"
    else:
        assert "Workshop" in screen[2]
        assert "...\n" not in term.text()
    assert all(len(row) <= columns for row in screen)

    term.key("\r", "hello from run 1", "PASS", "[Enter] next")
    assert "[Enter] next: step 2 of 3" in term.rows()[-1]
    assert term.text().count("PASS") == 1

    term.key(" ", "step 2 of 3")
    term.child.expect_exact("[Enter] run")
    assert "hello from run 1" not in term.text(), "a new screen"
    term.key("\x1b[C", "beta", "PASS")  # the right arrow is next too

    term.key("\x1b[D", "step 1 of 3")  # back: step 1 again, its recorded output
    term.child.expect_exact("[Enter] next")
    assert "hello from run 1" in term.text()
    assert "[Enter] next: step 2 of 3" in term.rows()[-1]

    term.key("?", "Keys")
    assert "go to step N" in term.text()
    term.key("x", "[Enter] next")
    assert "go to step N" not in term.text(), "any key closes the overlay"

    term.key("/count the\r", "step 3 of 3 | Count the runs")  # search, ignoring case
    term.child.expect_exact("[Enter] run")
    term.key("g2\r", "step 2 of 3", "[Enter] next")  # goto a step done: shown, not run again
    assert "alpha" in term.text()
    term.key("g3\r", "step 3 of 3")
    term.child.expect_exact("[Enter] run")
    term.key("\r", "runs: 1", "PASS")  # step 1 ran once: back and goto ran nothing again
    term.child.expect_exact("end of the page: 3 passed, 0 failed, 0 error, 0 skipped")
    assert wait_exit(term.child) == 0


@pytest.mark.parametrize(("columns", "rows"), SIZES)
def test_goto_ahead_runs_the_steps_before_and_q_quits_with_status_0(page, columns, rows):
    path = page(PAGE.format(filler="", note=NOTE))
    term = present(path, columns, rows)
    term.child.expect_exact("[Enter] run")
    term.key("g3\r", "step 3 of 3")
    term.child.expect_exact("[Enter] run")
    term.key("\r", "runs: 1", "PASS")
    term.child.expect_exact("end of the page: 3 passed")
    assert wait_exit(term.child) == 0

    term = present(path, columns, rows)
    term.child.expect_exact("[Enter] run")
    term.key("/nothing like it\r", "no step mentions 'nothing like it'")
    term.key("g9\r", "no step 9: the page has steps 1 to 3")
    term.key("q", "quit: 0 passed, 0 failed, 0 error, 0 skipped")
    assert wait_exit(term.child) == 0


def test_the_keys_are_in_help(runner):
    run = runner("step", "--help")
    assert run.status == 0
    for keys in ("Enter, Space, Right", "Left", "g N Enter", "/ TEXT Enter", "?", "q"):
        assert f"\n  {keys} " in run.out


def test_output_comes_as_it_is_printed_and_scrolls_under_the_command(page):
    path = page(
        """
        ## Slow and long

        ```console
        $ echo first; sleep 2; seq 1 200; echo last
        first
        ...
        last
        $ echo done
        done
        ```
        """
    )
    term = present(path, 80, 24)
    term.child.expect_exact("[Enter] run")
    term.key("\r", "first")
    assert "PASS" not in term.text(), "the first line shows while the command still runs"
    term.child.expect_exact("PASS")
    term.child.expect_exact("[Enter] next: step 2 of 2")
    rows = term.rows()
    assert rows[0].startswith("--- step 1 of 2 | Slow and long"), "the header stays on screen"
    assert rows[4] == "$ echo first; sleep 2; seq 1 200; echo last", rows
    assert "200" in term.text(), "the end of the output is on screen"
    assert "\n100\n" not in term.text(), "its start scrolled away under the command"
    assert rows[-1].startswith("[Enter] next: step 2 of 2"), "the footer stays"
    term.key("q", "quit: 1 passed")
    assert wait_exit(term.child) == 0


def test_without_a_terminal_the_keys_are_said_once(page, runner, monkeypatch):
    path = page("```console\n$ echo a\na\n$ echo b\nb\n$ echo c\nc\n```\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n\n\n"))
    run = runner("step", path)
    assert run.status == 0, run.out
    assert run.out.count("[Enter] run") == 1
    assert "end of the page: 3 passed" in run.out


def test_ctrl_c_gives_the_whole_terminal_back(page):
    path = page(PAGE.format(filler="", note=NOTE))
    term = present(path, 80, 24)
    term.child.expect_exact("[Enter] run")
    term.key("\r", "PASS", "[Enter] next")
    term.key("\x03", "interrupted; everything it started was stopped")
    assert wait_exit(term.child) == 130
    regions = [m.end() for m in re.finditer(r"\x1b\[\d+;\d+r", term.raw)]
    assert regions, "a scrolling region was set"
    assert "\x1b[r" in term.raw[regions[-1] :], "and reset on the way out"
