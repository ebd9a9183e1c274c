"""Rewrite a page's expected output from what really printed, keeping what the author wrote.

Only the expected-output lines of commands (and services) whose output differed are touched;
prose, directives, commands, skipped steps and every other byte of the page stay as they
were, line endings included. Each output is rewritten by guiderunner.rewrite, which keeps the
author's lines that still match. The page is written atomically, and the run's observations
are judged again against the new page, so nothing runs twice.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from guiderunner.match import judge, normalise
from guiderunner.model import Block, Guide, Plan, Verdict
from guiderunner.plan import PLACEHOLDER, PageCommand, page_oracle, split_commands
from guiderunner.plan.bash import BashParser
from guiderunner.plan.status import split_status
from guiderunner.rewrite.lines import rewrite_output


@dataclass(frozen=True, slots=True)
class Region:
    """Where one command's expected output stands in the page."""

    command: PageCommand
    """The command as the page has it, with its raw expected lines (placeholders unfilled)."""
    block: Block
    """The block that holds it (for regex mode)."""


@dataclass(frozen=True, slots=True)
class Stale:
    """An author's pattern line that no longer matches: kept, for the author to fix."""

    line: int
    """Its line in the page."""
    pattern: str
    """The line as the page has it."""
    actual: str | None
    """The printed line it met, or None when nothing was left for it."""


@dataclass(frozen=True, slots=True)
class Change:
    """One command's expected output, old and new."""

    command: int
    """The line of the command's `$ `."""
    shown: str
    """The command's first line, for the author."""
    first: int
    """The index (0-based) of its first expected line in the page's lines."""
    old: tuple[str, ...]
    """The expected lines the page has (line endings removed)."""
    new: tuple[str, ...]
    """What they become."""


@dataclass(frozen=True, slots=True)
class Update:
    """What a run would change in the page, command by command."""

    changes: tuple[Change, ...]
    """In page order: only commands whose expected lines change."""
    stale: tuple[Stale, ...]
    """Pattern lines kept although they no longer match."""


def update_page(
    source: str, guide: Guide, plan: Plan, verdicts: Sequence[Verdict], values: Mapping[str, str]
) -> Update:
    """The new expected output of each command whose output differed, command by command."""
    regions, starts = _regions(guide), _service_starts(plan)
    lines = source.split("\n")
    placeholders = _used_placeholders(source, values)
    changes: dict[int, Change] = {}
    stale: list[Stale] = []
    for verdict in verdicts:
        region = _region_of(verdict, starts, regions)
        if region is None:
            continue
        raw = _raw_lines(lines, region)
        done = rewrite_output(
            verdict.step.checked_output,
            raw,
            _actual(verdict),
            placeholders,
            region.block.options.regex,
            indent=_indent(lines, region.command),
        )
        first = region.command.span.end
        stale.extend(Stale(first + 1 + i, raw[i], actual) for i, actual in done.stale)
        if list(done.lines) != raw:
            shown = region.command.lines[0]
            changes[first] = Change(region.command.span.start, shown, first, tuple(raw), done.lines)
    ordered = tuple(changes[key] for key in sorted(changes))
    return Update(ordered, tuple(sorted(set(stale), key=lambda s: s.line)))


def applied(source: str, changes: Sequence[Change]) -> str:
    """The page with these changes made; every other byte (CRLF endings too) as it was."""
    lines = source.split("\n")
    for change in sorted(changes, key=lambda c: -c.first):
        first, count = change.first, len(change.old)
        ending = "\r" if lines[first - 1].endswith("\r") else ""  # the page's own line ending
        lines[first : first + count] = [line + ending for line in change.new]
    return "\n".join(lines)


def _regions(guide: Guide) -> dict[int, Region]:
    """Each command of the page by the line it starts at, split as planning splits them."""
    blocks = [b for b in guide.items if isinstance(b, Block) and b.kind == "console"]
    with BashParser() as bash:
        incomplete = page_oracle(bash, blocks)
        return {
            typed.span.start: Region(typed, block)
            for block in blocks
            for typed in split_commands(block, incomplete)
        }


def _service_starts(plan: Plan) -> dict[tuple[int, str], int]:
    """The line of the command that started each stop step's service.

    A service's expected output is written under that command, and its stop step checks it.
    """
    running: dict[str, int] = {}
    starts: dict[tuple[int, str], int] = {}
    for step in plan.steps:
        if step.starts is not None:
            running[step.starts] = step.span.start
        elif step.stops is not None and step.stops in running:
            starts[(step.span.start, step.stops)] = running.pop(step.stops)
    return starts


def _region_of(
    verdict: Verdict, starts: Mapping[tuple[int, str], int], regions: Mapping[int, Region]
) -> Region | None:
    """The page lines that hold the expected output this verdict found wrong, if it is one."""
    step, observation = verdict.step, verdict.observation
    if verdict.outcome != "failed" or not verdict.diff or observation.error is not None:
        return None
    if step.stops is None:  # its output stands under its own line
        return regions.get(step.span.start)
    if (step.span.start, step.stops) in starts:  # a service's, under its start
        return regions.get(starts[(step.span.start, step.stops)])
    return None


def _raw_lines(lines: Sequence[str], region: Region) -> list[str]:
    """The page's lines that the command's patterns came from (trailing blank lines stay)."""
    output = list(region.command.output)
    while output and not output[-1].strip():
        output.pop()
    output = list(split_status(output)[0])  # a `[N]` line is the status, not output
    while output and not output[-1].strip():
        output.pop()
    first = region.command.span.end
    return [line.removesuffix("\r") for line in lines[first : first + len(output)]]


def _indent(lines: Sequence[str], command: PageCommand) -> str:
    """What stands before the block's lines in the page (a fence indented up to 3 spaces)."""
    line = lines[command.span.start - 1].removesuffix("\r")
    return line[: len(line) - len(command.lines[0])] if line.endswith(command.lines[0]) else ""


def _actual(verdict: Verdict) -> list[str]:
    return normalise(verdict.observation.output)


def _used_placeholders(source: str, values: Mapping[str, str]) -> dict[str, str]:
    """The placeholders the page uses that have a non-empty value, longest value first."""
    names = {m[1] for m in PLACEHOLDER.finditer(source) if m[1] in values and values[m[1]]}
    return dict(sorted(((n, values[n]) for n in names), key=lambda item: -len(item[1])))


# --- after the rewrite -----------------------------------------------------------------------


def rejudged(plan: Plan, verdicts: Sequence[Verdict]) -> Iterator[Verdict]:
    """The same observations judged against the rewritten page's plan (nothing runs again)."""
    for step, verdict in zip(plan.steps, verdicts, strict=False):
        yield judge(replace(verdict.observation, step=step))


def page_diff(path: str, old: str, new: str) -> str:
    """A unified diff of the page, as `diff -u` shows it."""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    return "".join(lines)


def read_exactly(path: Path) -> str:
    """The page's text with its line endings as they are (CRLF stays CRLF)."""
    with path.open(encoding="utf-8", newline="") as stream:
        return stream.read()


def write_atomically(path: Path, text: str) -> None:
    """Replace the file in one step, keeping its mode: a crash leaves the old page or the new."""
    mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise
