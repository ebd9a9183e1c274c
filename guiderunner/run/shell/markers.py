r"""The runner's hooks in the page's bash: two prompts, and how their markers are read back.

The rcfile sets only PS1 and PS2; no function, no PROMPT_COMMAND, no variable of the runner's:

- `PS1` is `ESC ] 777 ; token ; 1 ; $? ; N BEL` (N is bash's command number, `\#`), a gate,
  the visible `\$ `, then `...;3;N BEL`: the prompt is all drawn. Prompt expansion does
  parameter and arithmetic expansion without a fork, so the usual command costs bash no more
  than a reader's prompt (issue 24: a fork per prompt was 0.5 ms a command).
- `PS2` is `ESC ] 777 ; token ; 2 ; N BEL`: bash wants a continuation line of command N.

Forgery and replays. The runner takes an end marker without more ado only when it carries the
next command number of the bash that has the terminal, N + 1 after its prompt numbered N,
which no earlier prompt had: a marker replayed from a file (a page that sends bash's stderr to
a log and prints it back, a `script` transcript) carries an old number and ends nothing; one
with another number (a future one) neither. The next number printed by a program while it
runs is held (bash does not have the terminal, `tcgetpgrp`) and dropped unless bash is then
found reading its next line. What does end a command early: the page reads the token from
`$PS1` and prints the next number from bash itself (`printf` builtin); before issue 24 that
also took a write to the FIFO named in `$PS1`. The guarantee is against accidents.

The gate forks, in a command substitution, only when the fast marker is not enough. Its fast
path is one compare and one assignment (state in PS1's own elements 1 to 7; `$PS1` is still
the prompt, `declare -p PS1` shows an array); otherwise `${PS1[7]@P}` runs the hook, which
writes `$? N` to a FIFO only the runner reads, then prints the end marker on stderr. It forks:

- when the number did not move (an empty line, a comment, a syntax error): such an end
  counts only with its status in the FIFO, same N, so an old marker cannot pass for it;
- at start, after the runner re-arms a shell (`. RCFILE`) and after a person had the shell
  (run.shell.interact sets `ONCE`): the number is not known;
- when the page put a prefix on PS1 (`(venv) $PS1`, seen by PS1's length): the hook's
  marker then comes before the prefix, which is prompt, not output;
- from two empty lines in a row on (same command and history numbers): the runner types
  them when bash reads its next line without a marker and its stderr (/proc/PID/fd/2) is
  not the terminal (`exec 2>/dev/null`, `2>log`, `2>&-`): the status comes from the FIFO
  from then on, as before issue 24. The cost: two more prompts where stderr goes, once.

Why prompts: a command substitution runs in a subshell, which does not inherit the page's
DEBUG or ERR trap (bash passes them on only under `set -T` / `set -E`), and prompt expansion
runs no command in the page's shell, so a page's `trap '...' DEBUG` fires on its own commands
alone, and `PROMPT_COMMAND` stays what a reader's bash has (unset). The hook's stderr is
closed, so `set -x` traces nothing of it; `$?`, `$_` and `PIPESTATUS` are untouched. The
marker goes where the prompt goes, so it stays in order with output piped through `tee`.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path


class ShellGone(Exception):
    """The terminal closed: bash exited."""


@dataclass(frozen=True, slots=True)
class Event:
    """Where bash is now."""

    DONE = "done"
    MORE = "more"
    TIMEOUT = "timeout"
    WAITING = "waiting"

    kind: str
    """DONE (a command ended, `status` holds `$?`), MORE (PS2), TIMEOUT, or WAITING (a
    program reads the terminal and no line is left to type: run.shell.starved)."""
    status: int | None


MORE = Event(Event.MORE, None)
TIMEOUT = Event(Event.TIMEOUT, None)


STICKY = 1 << 62
"""PS1[1] from the second empty line in a row on: every prompt forks from then on."""
ONCE = STICKY - 1
"""PS1[1] when the runner does not know bash's command number: the next prompt forks."""


def rcfile_text(fifo: Path, token: str) -> str:
    r"""The rcfile's text: PS1, its gate's state, PS2.

    Bash decodes a prompt's backslash escapes before it expands it (and `${x@P}` does the
    same), so `\#` (the command number), `\!` (the history number) and the hook's `\n`, `\e`
    and `\a` reach the expansion decoded; a bare `!` would become the history number, and
    `<(` or `<<` would be taken for a redirection: the gate has none of them. Its state is
    PS1's own elements (element 0, the prompt, is what `$PS1` shows): 1 the number at the
    last prompt (or ONCE, or STICKY), 2 and 3 the history and command numbers at the last
    forking prompt, 7 the forking part, expanded only when the gate picks index 0 (index 6
    is never set). `${#PS1}` is the prompt's length as written here: any other (a prefix)
    forks, so that the hook's end marker comes before the prefix.

    >>> "PROMPT_COMMAND" in rcfile_text(Path("/f"), "t"), "\\#" in rcfile_text(Path("/f"), "t")
    (False, True)
    """
    mark = f"\\e]777;{token};"
    hook = (
        f'{{ s=$? n=$((\\#+1)); printf "%d %d\\n" $s $n >|{shlex.quote(str(fifo))}; }} 2>&-; '
        f'{{ printf "{mark}1;%d;%d\\a" $s $n >&3; }} 3>&2 2>&-'
    )
    again = f"PS1[3]==\\#&&PS1[2]==\\!||PS1[1]=={STICKY}"  # `\\#` is one less in `@P`
    slow = f"${{PS1[{again}?(PS1[1]={STICKY},6):(PS1[1]=\\#+1,PS1[3]=\\#,PS1[2]=\\!,6)]-}}$({hook})"
    gate = "${PS1[PS1[1]<\\#&&${#PS1}==SIZE?(PS1[1]=\\#,6):0]:+${PS1[7]@P}}"
    ps1 = f"{mark}1;$?;\\#\\a{gate}\\$ {mark}3;\\#\\a"
    size = 0
    while len(ps1.replace("SIZE", str(size))) != size:  # a fixed point: the digits count
        size = len(ps1.replace("SIZE", str(size)))
    ps2 = "2;\\#\\a"
    state = f"PS1[1]={ONCE} PS1[2]=-1 PS1[3]=-1 PS1[7]={shlex.quote(slow)}"
    return (
        f"PS1={shlex.quote(ps1.replace('SIZE', str(size)))}\n{state}\n"
        f"PS2={shlex.quote(mark + ps2)}\nunset HISTFILE\n"
    )


def marker_pattern(token: str) -> re.Pattern[bytes]:
    r"""A marker of this session: groups kind (1 end, 2 more, 3 drawn), status, number (`\#`).

    The status is an end's `$?` (None for the others).
    """
    return re.compile(rb"\x1b\]777;" + token.encode() + rb";([123]);(?:([0-9]+);)?([0-9]+)\x07")


def parse_statuses(data: bytes) -> list[tuple[int, int]]:
    r"""The FIFO's lines as ($?, command number) pairs.

    >>> parse_statuses(b"0 1\n127 2\n")
    [(0, 1), (127, 2)]
    """
    pairs = []
    for line in data.splitlines():
        status, number = line.split()
        pairs.append((int(status), int(number)))
    return pairs


def partial_marker_start(buffer: bytes, start: int, token: str) -> int:
    r"""Where a marker cut at the end of what has arrived begins (else the end).

    >>> partial_marker_start(b"out\x1b]77", 0, "t")
    3
    """
    prefix = b"\x1b]777;" + token.encode() + b";"
    escape = buffer.rfind(b"\x1b", max(start, len(buffer) - len(prefix) - 24))
    if escape < 0:
        return len(buffer)
    tail = buffer[escape:]
    if prefix.startswith(tail) or (tail.startswith(prefix) and b"\x07" not in tail):
        return escape
    return len(buffer)


def claim(statuses: list[tuple[int, int]], number: int) -> bool:
    """Does an end marker with this number have its status? Older ones are dropped then.

    Statuses ahead of it are those whose marker never came (the page's stderr elsewhere).

    >>> pending = [(0, 4), (1, 5)]
    >>> claim(pending, 3), claim(pending, 5), pending
    (False, True, [(1, 5)])
    """
    for index, (_, pending) in enumerate(statuses):
        if pending == number:
            del statuses[:index]
            return True
    return False
