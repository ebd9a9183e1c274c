"""What each part of the page shell's prompt hook costs bash, per command.

    python bench/shell_hooks.py [--commands 2000] [--rounds 7]

The same bare loop as bench/pty_loop.py (type `echo line-i`, read until PS1's marker), on a
bash whose rcfile sets one variant of the hooks. Per command, best of interleaved rounds: wall
time, this process's CPU, and bash's time on a CPU (/proc/PID/schedstat, nanoseconds). The
variants, from the bare prompt up to the runner's hook (guiderunner.run.shell.hooks):

- bare:            PS1 = the marker; nothing else
- status in PS1:   `$?` in the prompt on the terminal (free, but output could forge it: not used)
- PC=:             PROMPT_COMMAND set to `:` (what running a hook at all costs)
- fifo:            `$?` to the FIFO, opened by path at every prompt
- fifo+marker:     the runner's hook (FIFO by path, end marker printed, stderr closed)
- fixed fd:        the same with the FIFO kept open on fd 87 (children would inherit it: not used)
- end in PS1:      the end marker carried by PS1, printed by the hook only when PS1 will not
                   bring it (PS1 or PROMPT_COMMAND changed, stderr elsewhere): one write less,
                   but more tests and redirections in the hook (measured: not kept)
- fork per prompt: issue 22's hook, a command substitution at the start of PS1 (FIFO, marker)
- runner:          this checkout's rcfile (guiderunner.run.shell.markers): `$?` and the
                   command number in PS1's end marker, and a gate that forks only when needed
"""

from __future__ import annotations

import argparse
import contextlib
import os
import select
import signal
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from guiderunner.run.shell.markers import rcfile_text

MARKER = b"\x1b]777;tok;3"  # the prompt is drawn (the runner's carries the number after it)
M = r"\e]777;tok;"
PROMPTS = f"PS1='\\$ {M}3\\a'\nPS2='{M}2\\a'\nset +o history\n"
END = f"{M}1\\a"
END_IN_PS1 = (
    f'{{ echo "$?" >|FIFO; [[ ${{#PROMPT_COMMAND}} == SIZE && -z ${{PROMPT_COMMAND[1]+1}} && '
    f'${{PS1-}} == "{END}"* && -t 3 ]] || printf "{END}"; }} 3>&2 2>&-'
)
OLD = f'{{ printf "%d\\n" "$?" >|FIFO; printf "{M}1\\a"; }} 2>&-'
FORK = f'$({{ printf "%d %d\\n" "$?" "\\#" >|FIFO; printf "{M}1;\\#\\a" >&3; }} 3>&2 2>&-)'
RUNNER = "the runner's rcfile"
VARIANTS = {
    "bare": f"PS1='{M}3\\a'\n",
    "status in PS1": f"PS1='{M}1;$?\\a\\$ {M}3\\a'\nPS2='{M}2\\a'\nset +o history\n",
    "PC=:": PROMPTS + "PROMPT_COMMAND=:\n",
    "fifo": PROMPTS + "PROMPT_COMMAND='echo \"$?\" >|FIFO'\n",
    "fifo+marker": PROMPTS + f"PROMPT_COMMAND='{OLD}'\n",
    "fixed fd": "exec 87>FIFO\n" + PROMPTS + f"PROMPT_COMMAND='{OLD.replace('>|FIFO', '>&87')}'\n",
    "end in PS1": f"PS1='{M}1\\a\\$ {M}3\\a'\nPS2='{M}2\\a'\nset +o history\n"
    f"PROMPT_COMMAND='{END_IN_PS1}'\n",
    "fork per prompt": f"PS1='{FORK}\\$ {M}3\\a'\nPS2='{M}2\\a'\nset +o history\n",
    "runner": RUNNER,
}


def bash_cpu(pid: int) -> float:
    """Seconds process `pid` has run on a CPU."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9


def _sized(text: str) -> str:
    """SIZE replaced by the length of the PROMPT_COMMAND it stands in (a fixed point)."""
    if "SIZE" not in text:
        return text
    hook = END_IN_PS1.replace("FIFO", text.split(">|", 1)[1].split(";", 1)[0])
    size = 0
    while len(hook.replace("SIZE", str(size))) != size:
        size = len(hook.replace("SIZE", str(size)))
    return text.replace("SIZE", str(size))


def run(variant: str, n: int) -> tuple[float, float, float]:
    """Wall, Python CPU and bash CPU per command, in microseconds, for one rcfile."""
    with tempfile.TemporaryDirectory() as folder:
        fifo = f"{folder}/status"
        os.mkfifo(fifo)
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        writer = os.open(fifo, os.O_WRONLY)
        rcfile = Path(folder, "rc")
        text = rcfile_text(Path(fifo), "tok") if variant == RUNNER else variant
        rcfile.write_text(_sized(text.replace("FIFO", fifo)), encoding="utf-8")
        master, slave = os.openpty()
        attributes = termios.tcgetattr(slave)
        attributes[3] &= ~termios.ECHO
        termios.tcsetattr(slave, termios.TCSANOW, attributes)
        argv = ["bash", "--noprofile", "--rcfile", str(rcfile), "--noediting", "-i"]
        process = subprocess.Popen(
            ["setsid", "--ctty", *argv],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**os.environ, "TERM": "dumb"},
        )
        os.close(slave)

        def until_marker() -> None:
            data = b""
            while MARKER not in data:
                select.select([master], [], [], 10)
                data += os.read(master, 65536)
            with contextlib.suppress(BlockingIOError):
                os.read(reader, 4096)

        try:
            until_marker()
            bash0, cpu0, wall0 = bash_cpu(process.pid), time.process_time(), time.perf_counter()
            for i in range(n):
                os.write(master, f"echo line-{i}\n".encode())
                until_marker()
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            return wall / n * 1e6, cpu / n * 1e6, (bash_cpu(process.pid) - bash0) / n * 1e6
        finally:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            for fd in (master, reader, writer):
                os.close(fd)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--commands", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in VARIANTS}
    for _ in range(args.rounds):
        for name, text in VARIANTS.items():
            results[name].append(run(text, args.commands))
    print(f"{'best (median), us':18} {'wall':>12} {'python CPU':>12} {'bash CPU':>12}")
    for name, rows in results.items():
        cells = []
        for k in range(3):
            values = sorted(row[k] for row in rows)
            cells.append(f"{values[0]:.1f} ({values[len(values) // 2]:.1f})")
        print(f"{name:18} {cells[0]:>12} {cells[1]:>12} {cells[2]:>12}")


if __name__ == "__main__":
    main()
