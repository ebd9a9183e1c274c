"""Python's own time per command in `ShellSession.run`: a fake terminal that answers at once.

    python bench/shell_python.py [--commands 20000] [--rounds 5] [--profile]
    BENCH_CHECKOUT=/tmp/before python bench/shell_python.py   # another checkout's runner

No bash: the session's channel is attached to a pipe written by the fake terminal itself
the moment a line is typed (the command's output, PS1's end marker with the next command
number, the prompt, the drawn marker), so what is measured is the runner's Python per
command (typing, the modes check, the wait, read, the parse, the result), with the system
calls a real run makes (the modes are read from a pty) but no wait for bash. Best (worst)
of the rounds, microseconds of CPU and wall per command. `--profile` prints cProfile's
view of one round instead.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.environ.get("BENCH_CHECKOUT", str(Path(__file__).resolve().parent.parent)))

from guiderunner.run.shell import modes
from guiderunner.run.shell.hooks import Channel
from guiderunner.run.shell.session import ShellSession
from guiderunner.run.shell.terminal import Terminal


class FakeTerminal(Terminal):
    """run.shell.terminal.Terminal typing (its checks), its write answered at once."""

    def __init__(self, token: str) -> None:  # no process: nothing of Terminal's to start
        self.fd, self._slave = os.pipe()  # a pty's write is the kernel's, 10-30 us: not ours
        self._pty, self._pty_slave = os.openpty()  # where the modes are checked, as on a pty
        real = modes.typing_modes
        modes.typing_modes = lambda fd: real(self._pty)  # type: ignore[assignment]
        self._pid_here = os.getpid()
        self.tty = os.ttyname(self._pty_slave)
        self._mark = b"\x1b]777;" + token.encode() + b";"
        self.number = 1

    @property
    def pid(self) -> int:
        return self._pid_here

    def write(self, data: bytes, deadline: float) -> bool:
        """What bash would print for `echo WORD`: WORD, then its next prompt."""
        self.number += 1
        word = data[:-1].split(b" ", 1)[1]
        number = str(self.number).encode()
        os.write(
            self._slave,
            b"".join((word, b"\r\n", self._mark, b"1;0;", number, b"\x07$ ", self._mark))
            + b"3;"
            + number
            + b"\x07",
        )
        return True

    def foreground(self) -> int:
        return self._pid_here

    def close(self) -> None:
        for fd in (self.fd, self._slave, self._pty, self._pty_slave):
            os.close(fd)


def session(folder: str) -> tuple[ShellSession, FakeTerminal]:
    """A ShellSession whose channel listens to a fake terminal, at its first prompt."""
    shell = ShellSession(Path(folder), {})
    channel = Channel(Path(folder), "tok")
    fake = FakeTerminal("tok")
    channel.attach(fake, ["bash"])  # type: ignore[arg-type]
    os.write(channel._keep_open, b"0 1\n")  # the first prompt's status, as the gate writes it
    os.write(fake._slave, b"\x1b]777;tok;1;0;1\x07$ \x1b]777;tok;3;1\x07")
    channel.wait_prompt(time.monotonic() + 5)
    shell._channel, shell._child = channel, fake  # type: ignore[assignment]
    return shell, fake


def one_round(n: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        shell, fake = session(folder)
        try:
            cpu0, wall0 = time.process_time(), time.perf_counter()
            for i in range(n):
                typed = shell.run(f"echo line-{i}", 10)
                assert typed.status == 0, typed
                assert typed.output == f"line-{i}\n".encode(), typed
            return (time.process_time() - cpu0) / n * 1e6, (time.perf_counter() - wall0) / n * 1e6
        finally:
            shell._channel.close()  # type: ignore[union-attr]
            fake.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--commands", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(one_round, args.commands)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        return
    rows = [one_round(args.commands) for _ in range(args.rounds)]
    cpu, wall = sorted(r[0] for r in rows), sorted(r[1] for r in rows)
    print(f"python per command, us: CPU {cpu[0]:.1f} ({cpu[-1]:.1f}),", end=" ")
    print(f"wall {wall[0]:.1f} ({wall[-1]:.1f})")


if __name__ == "__main__":
    main()
