"""Write the synthetic benchmark inputs: N `echo` commands in each tool's own format.

    python bench/generate.py [--out bench/out] [--sizes 1 500 1500]

For each N it writes, into the output folder (gitignored; nothing large is committed):

    echo-N.md   the runner's guide: one ```console block per command, `$ echo line-i` over
                `line-i`
    echo-N.sh   the same commands as a plain bash script (the floor: no checking at all)
    echo-N.t    prysk's format: two-space indented `  $ echo line-i` over `  line-i`
    echo-N.txt  byexample's shell format: `$ echo line-i` over `line-i`, examples separated
                by a blank line (byexample finds `$ ` prompts anywhere in a file; its expected
                output runs to the next blank line or `$ ` line)

Every file checks the same thing: N commands, each expected to print one known line.

Besides, it writes `tty.md` (commands that must see a terminal: the runner's semantics must
survive any speed-up) and a minimal `mkdocs.yml` with an empty `runner` entry, so that the
runner finds this one and not the project's (no sample solution to copy, no placeholders),
while still paying for reading a configuration as it does on a real page.
"""

from __future__ import annotations

import argparse
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "out"
SIZES = (1, 500, 1500)
FORMATS = ("md", "sh", "t", "txt")


def runner_guide(n: int) -> str:
    parts = [f"# {n} echo commands\n", "Synthetic guide for the runner benchmark.\n"]
    for i in range(1, n + 1):
        parts.append(f"```console\n$ echo line-{i}\nline-{i}\n```\n")
    return "\n".join(parts)


def bash_script(n: int) -> str:
    return "".join(f"echo line-{i}\n" for i in range(1, n + 1))


def prysk_test(n: int) -> str:
    lines = [f"{n} echo commands, the same as echo-{n}.md.", ""]
    for i in range(1, n + 1):
        lines += [f"  $ echo line-{i}", f"  line-{i}"]
    return "\n".join(lines) + "\n"


def byexample_input(n: int) -> str:
    parts = [f"{n} echo commands, the same as echo-{n}.md.\n"]
    for i in range(1, n + 1):
        parts.append(f"$ echo line-{i}\nline-{i}\n")
    return "\n".join(parts)


TTY_GUIDE = """# The runner keeps terminal semantics

```console
$ [ -t 0 ] && [ -t 1 ] && echo terminal
terminal
$ stty size
24 80
$ read -t 0.01 line < /dev/tty; echo "read from the terminal: $?"
read from the terminal: 142
```
"""

CONFIG = """site_name: runner benchmark
docs_dir: .
plugins:
  - runner: {}
"""

WRITERS = {"md": runner_guide, "sh": bash_script, "t": prysk_test, "txt": byexample_input}


def path_for(out: Path, n: int, ext: str) -> Path:
    return out / f"echo-{n}.{ext}"


def generate(out: Path = DEFAULT_OUT, sizes: tuple[int, ...] = SIZES) -> dict[int, dict[str, Path]]:
    """Write every input; returns {N: {ext: path}}. Rewrites only files whose text changed."""
    out.mkdir(parents=True, exist_ok=True)
    written: dict[int, dict[str, Path]] = {}
    for n in sizes:
        written[n] = {}
        for ext, writer in WRITERS.items():
            path = path_for(out, n, ext)
            _write(path, writer(n))
            written[n][ext] = path
    for name, text in (("tty.md", TTY_GUIDE), ("mkdocs.yml", CONFIG)):
        _write(out / name, text)
    return written


def _write(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="values of N")
    args = parser.parse_args()
    for n, files in generate(args.out, tuple(args.sizes)).items():
        print(f"N={n}: " + "  ".join(str(p) for p in files.values()))


if __name__ == "__main__":
    main()
