"""Instructions per command, counted by valgrind (callgrind): figures load leaves alone.

    python bench/shell_instructions.py [--before CHECKOUT]

Wall and CPU time move with whatever else runs on a shared machine; the number of user-space
instructions a piece of work takes does not. Each figure is (count(3000) - count(1000)) / 2000,
so that start-up cancels out:

- Python: bench/shell_python.py (`ShellSession.run("echo line-i")` on a fake terminal that
  answers at once: the runner's own Python per command, kernel time not counted), for this
  checkout and `--before`'s;
- Python, per step of the echo pages (bench/generate.py, 500 and 1,500 steps): reading the
  page (markdown-it and the blocks) and planning it (its one bash parser not counted);
- bash: one prompt expansion of PS1 (`${PS1@P}` in a loop, the gate's state reset so that it
  takes its fast path) in a UTF-8 locale, for the bare prompt of bench/pty_loop.py, the
  runner's markers without the gate, the gate without its length check (not safe: measured
  to say what the check costs), and the runner's PS1 (guiderunner.run.shell.markers).

Needs valgrind. It takes a few minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from guiderunner.run.shell.markers import rcfile_text  # noqa: E402

LOOP = 'PS1=$2; PS1[7]="$3"\nfor ((i=0;i<$1;i++)); do PS1[1]=0; x=${PS1@P}; done\n'


def collected(argv: list[str], env: dict[str, str]) -> int:
    """What callgrind counts for the command (`Collected : N`)."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        sys.exit(f"bench: no count from valgrind for {argv}")
    return int(found[1])


def per_command(argv: list[str], env: dict[str, str]) -> int:
    """Instructions one more command costs: the counts of 3000 and 1000, apart."""
    low, high = (collected([n if a == "{N}" else a for a in argv], env) for n in ("1000", "3000"))
    return (high - low) // 2000


PLAN = """
import sys
from dataclasses import replace
from pathlib import Path
from guiderunner.cli import pages
from guiderunner.cli.main import build_parser
from guiderunner.parse import parse_guide
from guiderunner.plan import plan_guide, plan_settings
page, upto = Path(sys.argv[1]), sys.argv[2]
settings = pages.settings_from(build_parser().parse_args(["verify", "--no-cache", str(page)]))
guide = parse_guide(str(page), page.read_text()) if upto != "none" else None
if upto == "plan":
    plan_guide(guide, replace(plan_settings(settings), reader=False))
"""


def page_rows(checkout: Path) -> tuple[int, int]:
    """Instructions per step to read (parse) a page, and to plan it (its bash not counted)."""
    from generate import DEFAULT_OUT, generate

    paths = generate(DEFAULT_OUT, (500, 1500))
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder, "plan.py")
        script.write_text(PLAN, encoding="utf-8")

        def count(n: int, upto: str) -> int:
            return collected([sys.executable, str(script), str(paths[n]["md"]), upto], env)

        read = (count(1500, "parse") - count(500, "parse")) // 1000
        both = (count(1500, "plan") - count(500, "plan")) // 1000
    return read, both - read


def python_row(checkout: Path) -> int:
    env = {**os.environ, "BENCH_CHECKOUT": str(checkout)}
    argv = [sys.executable, str(HERE / "shell_python.py"), "--commands", "{N}", "--rounds", "1"]
    return per_command(argv, env)


def prompts() -> dict[str, tuple[str, str]]:
    """(PS1, its element 7) of each prompt measured."""
    rc = rcfile_text(Path("/nonexistent/status"), "0123456789abcdef").splitlines()
    ps1 = _unquote(rc[0].removeprefix("PS1="))
    slow = _unquote(rc[1].split("PS1[7]=", 1)[1])
    gate = re.search(r"\$\{PS1\[PS1\[1\].*?\]:\+\$\{PS1\[7\]@P\}\}", ps1)
    assert gate is not None
    markers = ps1.replace(gate[0], "")
    no_length = re.sub(r"&&\$\{#PS1\}==\d+", "", ps1)
    return {
        "bare prompt (pty loop)": ("\\e]777;bench\\a", ""),
        "markers, no gate": (markers, slow),
        "gate without length check": (no_length, slow),
        "the runner's PS1": (ps1, slow),
    }


def _unquote(word: str) -> str:
    """A word as shlex.quote wrote it, back."""
    parts = re.findall(r"'([^']*)'|\\'|([^'\\]+)", word)
    return "".join(a or b or "'" for a, b in parts)


def bash_rows() -> dict[str, int]:
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder, "loop.sh")
        script.write_text(LOOP, encoding="utf-8")
        empty = per_command(["bash", str(script), "{N}", "", ""], env)
        return {
            name: per_command(["bash", str(script), "{N}", ps1, slow], env) - empty
            for name, (ps1, slow) in prompts().items()
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--before", type=Path, help="another checkout, for the Python row")
    args = parser.parse_args()
    print("instructions per command (callgrind, user space)")
    after = python_row(HERE.parent)
    print(f"  Python, ShellSession.run on a fake terminal, this checkout: {after}")
    if args.before:
        before = python_row(args.before)
        print(f"  Python, the same, before ({args.before}): {before}", end="")
        print(f"  after/before {after / before:.2f}")
    for checkout in (HERE.parent, *([args.before] if args.before else [])):
        read, plan = page_rows(checkout)
        print(f"  Python, per step of an echo page, {checkout}: read {read}, plan {plan}")
    for name, count in bash_rows().items():
        print(f"  bash, one prompt expansion, {name}: {count}")


if __name__ == "__main__":
    main()
