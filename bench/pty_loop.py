"""The floor of the one-round-trip-per-command model: a bare Python loop on a pty bash.

    python bench/pty_loop.py N

It starts `bash --noprofile --norc --noediting -i` on a pseudo-terminal of its own (util-linux
`setsid --ctty`, as the runner does), sets PS1 to a marker, then N times types
`echo line-i`, reads until the marker and checks the line came back. No parsing, no
matching, no report: what any runner that types into a terminal and waits for a prompt pays.
Exit status 0 when every line came back, 1 otherwise.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

MARKER = b"\x1b]777;bench\x07"


@contextmanager
def bare_bash() -> Iterator[tuple[int, int]]:
    """A pty bash, echo off, prompt MARKER: (the pty's master, bash's pid); killed on leaving.

    bench/shell_cpu.py measures the same bash, so both benchmarks pay for the same floor.
    """
    master, slave = os.openpty()
    process = subprocess.Popen(
        ["setsid", "--ctty", "bash", "--noprofile", "--norc", "--noediting", "-i"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "PS1": "", "TERM": "dumb"},
    )
    os.close(slave)
    try:
        os.write(master, b"stty -echo; PS1=$'\\e]777;bench\\a'\n")
        until(master, MARKER)
        yield master, process.pid
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(master)


def loop(n: int) -> bool:
    """Type N commands into one pty bash, one round trip each; True when all echoed right."""
    with bare_bash() as (master, _):
        good = True
        for i in range(1, n + 1):
            os.write(master, f"echo line-{i}\n".encode())
            good &= f"line-{i}\r\n".encode() in until(master, MARKER)
        return good


def until(fd: int, marker: bytes) -> bytes:
    """What the pty shows up to and including `marker` (each wait bounded: 10 s)."""
    data = b""
    while marker not in data:
        select.select([fd], [], [], 10)
        data += os.read(fd, 65536)
    return data


if __name__ == "__main__":
    sys.exit(0 if loop(int(sys.argv[1]) if len(sys.argv) > 1 else 1000) else 1)
