r"""Prompts of other shells, recognised so that a page never runs or expects them by mistake.

The runner types `$ ` lines into bash. A page written for PowerShell (`PS> `, `PS C:\> `),
cmd (`C:\> `), zsh (`% `), Python (`>>> `), or with a bash prompt shown whole
(`(venv) $ `, `user@host:~$ `) would otherwise fail with a vague message, or its lines
would become expected output silently. Each is named, with what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Foreign:
    """A kind of prompt the runner does not type into."""

    pattern: re.Pattern[str]
    shell: str
    advice: str


_BASH_STYLE = "write it as `$ ` (the prompt's prefix is never output, and the runner's bash"
FOREIGN: tuple[Foreign, ...] = (
    Foreign(
        re.compile(r"PS(?: [A-Za-z]:\\[^>]*)?> ?"),
        "a PowerShell prompt",
        "the runner runs bash: give a bash version of the command, or put the block in a"
        " `powershell` fence (not run)",
    ),
    Foreign(
        re.compile(r"[A-Za-z]:\\[^>]*> ?"),
        "a Windows cmd prompt",
        "the runner runs bash: give a bash version of the command, or put the block in a"
        " `bat` fence (not run)",
    ),
    Foreign(
        re.compile(r">>> ?"),
        "the Python interpreter's prompt",
        "the runner types only `$ ` lines into bash: run the lines as a script"
        " (`$ python3 - <<'EOF'`) or mark the block `<!-- runner: skip=\"...\" -->`",
    ),
    Foreign(
        re.compile(r"\([\w.@:/-]+\) \$ ?"),
        "a bash prompt with a virtual environment's prefix",
        f"{_BASH_STYLE} keeps the environment once the page activated it)",
    ),
    Foreign(
        re.compile(r"[\w.-]+@[\w.-]+:[^\s$#]*\$ ?"),
        "a bash prompt shown whole (user@host:dir)",
        f"{_BASH_STYLE} runs in the page's folder)",
    ),
    Foreign(
        re.compile(r"% (?=\S)"),
        "a zsh prompt",
        "write it as `$ `: the runner types `$ ` lines into bash",
    ),
)


def foreign_prompt(line: str, *, first: bool) -> str | None:
    """The message for a line that starts with another shell's prompt, or None.

    `% ` counts only where a command must start (`first`): output may begin with a percent.

    >>> foreign_prompt("PS> Get-Item .", first=True).split(":")[0]
    '`PS> ` is a PowerShell prompt'
    >>> foreign_prompt("% done", first=False) is None, foreign_prompt("$ ls", first=True)
    (True, None)
    """
    for kind in FOREIGN:
        found = kind.pattern.match(line)
        if found and (first or kind.shell != "a zsh prompt") and line[found.end() :].strip():
            return f"`{found[0]}` is {kind.shell}: {kind.advice}"
    return None
