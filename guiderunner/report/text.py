"""Report text every reporter, the presenter and `runner list` share: one place says it once."""

from __future__ import annotations

import functools
import os
import re

from guiderunner.match.show import CUT, LIMIT
from guiderunner.model import Step, Verdict

TAIL = 15  # lines of output shown under a failure
MARKS = {"passed": "PASS", "failed": "FAIL", "skipped": "SKIP", "error": "ERR"}
"""Each outcome's mark, the same in the terminal report and the presenter."""


@functools.cache
def _home_signs() -> re.Pattern[str]:
    """What a tool says when it is missing from the page's scratch home (rustup, pyenv, nvm...).

    Compiled at the first failure that asks: a passing run never does.
    """
    return re.compile(
        r"command not found|: not found\b|could not choose a version|no default toolchain"
        r"|version .{1,40} is not installed|N/A: version"
    )


def describe(step: Step) -> str:
    """A one-line name for a step, the same in every report."""
    return step.summary


def kind(step: Step) -> str:
    """The step's kind, as reports name it."""
    return step.KIND


def step_summary(step: Step) -> str:
    """One line of `runner list`: the step's kind, what it does, and options that change it."""
    notes = [f"skip: {step.skip}"] if step.skip else []
    notes += step.notes
    suffix = f"  ({', '.join(notes)})" if notes else ""
    return f"{kind(step):<7}  {describe(step)}{suffix}"


def step_lines(step: Step) -> list[str]:
    """`step_summary`, then the rest of a multi-line command, as `runner list` shows it."""
    return [step_summary(step), *step.typed_lines[1:]]


def failure_details(verdict: Verdict) -> str:
    """The command, why it failed, the diff, and the tail of its output, indented."""
    step, observation = verdict.step, verdict.observation
    lines = [f"    at {step.span}: {verdict.message}"]
    if step.live:
        lines += ["    command:", *(f"      {line}" for line in step.typed_lines)]
    if verdict.diff:
        lines += ["    diff (expected -> actual):", *(f"      {line}" for line in verdict.diff)]
    output = observation.output.replace("\r\n", "\n").rstrip("\n").split("\n")
    if observation.output.strip():
        lines += _tail(output)
    if observation.status is not None:
        lines.append(f"    exit status: {observation.status}")
    hint = home_hint(observation.output + (observation.error or ""), os.environ.get("HOME", ""))
    lines += [f"    {hint}"] if hint else []
    return "\n".join(lines) + "\n"


@functools.cache
def _explains() -> re.Pattern[str]:
    """Words of a line that says why a command failed: kept even when it is not in the tail.

    Compiled at the first failure shown: a passing run never shows one.
    """
    return re.compile(
        r"\b(?:error|fatal|failed|failure|denied|not found|no such|cannot|can't|unable|"
        r"invalid|missing|panic|exception|traceback|refused|timed out|abort(?:ed)?)\b",
        re.IGNORECASE,
    )


KEPT = 3
"""Such lines shown at most, above the tail."""


def _tail(output: list[str]) -> list[str]:
    """The last TAIL lines, and above them the last lines before the tail that name an error.

    Tools often print the reason first and a long help or cleanup after it (rustup's
    error line was above the last 15), so the reason is kept, with its line number.
    """
    shown = output[-TAIL:]
    before = len(output) - len(shown)
    reasons = [n for n in range(before) if _explains().search(output[n])][-KEPT:]
    head = f"    output (last {len(shown)} of {len(output)} lines"
    if not reasons:
        return [f"{head}):", *(f"      | {_clip(line)}" for line in shown)]
    plural = "s" if len(reasons) > 1 else ""
    out = [f"{head}, and {len(reasons)} earlier line{plural} naming an error):"]
    out += [f"      {n + 1:>4}| {_clip(output[n])}" for n in reasons]
    out.append("      ...")
    return out + [f"      | {_clip(line)}" for line in shown]


def home_hint(output: str, real_home: str) -> str | None:
    """One line when a failure could come from the page's scratch home, else None.

    >>> home_hint("bash: rustc: command not found", "/home/ada")[:40]
    'hint: the page runs with a scratch HOME '
    >>> home_hint("error: /home/ada/.config/tool.ini: no such file", "/home/ada") is None
    False
    >>> home_hint("expected 3, got 4", "/home/ada") is None
    True
    """
    home = real_home.rstrip("/")
    if not (_home_signs().search(output) or (home and f"{home}/" in output)):
        return None
    return (
        f"hint: the page runs with a scratch HOME (not {home or '~'}): it finds the reader's "
        "toolchains (rustup, cargo, nvm, pyenv, sdkman, go, ~/.local/bin, dotnet tools), "
        "not the rest of the home; see 'The execution model' in docs/authoring.md"
    )


def _clip(line: str) -> str:
    """A long output line cut to stay readable, saying how long it was."""
    if len(line) <= LIMIT:
        return line
    return f"{line[:LIMIT]}{CUT} ({len(line)} characters)"
