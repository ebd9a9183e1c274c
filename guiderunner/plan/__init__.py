"""Guide -> Plan: ordered steps with expectations compiled, placeholders filled, paths checked.

Everything that can be wrong with a guide is found here, before anything runs.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from guiderunner.errors import GuideError
from guiderunner.model import Block, Command, Guide, LinePattern, Plan, Step
from guiderunner.plan.bash import BashParser, is_incomplete
from guiderunner.plan.commands import (
    Incomplete,
    PageCommand,
    nested_prompts,
    page_oracle,
    split_commands,
)
from guiderunner.plan.commands import typed as typed_lines
from guiderunner.plan.expect import PatternError, compile_lines
from guiderunner.plan.placeholders import PLACEHOLDER, filler
from guiderunner.plan.platforms import other_platform, this_platform
from guiderunner.plan.status import split_status, status_line
from guiderunner.plan.variants import chosen_output
from guiderunner.settings import Settings

if TYPE_CHECKING:  # built when a page has services or files: guiderunner.model.features
    from guiderunner.model import Notice, StartService, StopMark, StopService, WriteFile

__all__ = [
    "PLACEHOLDER",
    "PageCommand",
    "PlanSettings",
    "check_syntax",
    "checked_path",
    "page_oracle",
    "plan_guide",
    "plan_settings",
    "split_commands",
]

DOCKER = re.compile(r"\bdocker\b")
DEFAULT_FACTS: Mapping[str, str] = MappingProxyType(
    {"builder": "buildkit", "platform": this_platform()}
)
"""The run's facts when the settings say nothing; `runner: when` comments are checked on them."""


@dataclass(frozen=True, slots=True)
class PlanSettings:
    """What planning needs from the settings."""

    timeout: float
    """Default seconds per command."""
    ready_timeout: float
    """Default seconds for a service to become ready."""
    placeholders: Mapping[str, str]
    """Values for `<name>` placeholders in commands and expected output."""
    sample: Path | None
    """The sample solution the workspace is copied from: titled paths are checked in it."""
    environ: Mapping[str, str]
    """The runner's environment, for `unless=VAR`."""
    facts: Mapping[str, str] = field(default_factory=lambda: DEFAULT_FACTS)
    """What this run is (`builder`: `buildkit` or `legacy`), for `runner: when KEY=VALUE`."""
    reader: bool = False
    """A reader's run (`--as-reader`): hidden blocks are left out, only what the site shows runs."""
    strict_output: bool = False
    """A command with nothing under it must print nothing, unless its block says `output=any`."""
    platform_tabs: Mapping[str, str] = field(default_factory=dict)
    """Content tab titles -> the platform they are for, beyond the known names."""


def plan_settings(settings: Settings) -> PlanSettings:
    """What planning takes from the run's settings."""
    return PlanSettings(
        timeout=settings.timeout,
        ready_timeout=settings.ready_timeout,
        placeholders=settings.placeholders,
        sample=settings.sample,
        environ=settings.environ,
        facts={**DEFAULT_FACTS, "builder": settings.builder},
        strict_output=settings.strict_output,
        platform_tabs=settings.platform_tabs,
    )


def plan_guide(guide: Guide, settings: PlanSettings) -> Plan:
    """Turn a page's blocks into steps; raises GuideError naming the line of any mistake.

    One bash process per page parses the commands: first to tell where each command ends
    (`guiderunner.plan.commands`), then to check that each one parses.
    """
    blocks = [
        i for i in guide.items if not isinstance(i, Block) or not (settings.reader and i.hidden)
    ]
    with BashParser() as bash:
        incomplete = page_oracle(bash, [b for b in blocks if isinstance(b, Block)])
        steps: list[Step] = []
        running: dict[str, StartService] = {}
        notices = list(guide.notices)
        for item in blocks:
            if isinstance(item, Block):
                steps.extend(_block_steps(item, settings, running, incomplete, notices=notices))
            else:
                steps.append(_stop(item, running))
        steps.extend(_stop_at_end(start) for start in reversed(running.values()))
        check_syntax([s for s in steps if s.typed], bash)
    uses_docker = any(s.skip is None and DOCKER.search(s.typed) for s in steps)
    return Plan(guide.path, tuple(steps), uses_docker, notices=tuple(notices))


def _block_steps(
    block: Block,
    settings: PlanSettings,
    running: dict[str, StartService],
    incomplete: Incomplete,
    *,
    notices: list[Notice],
) -> Iterator[Step]:
    if block.kind == "file":
        yield replace(_write_file(block, settings.sample), skip=_skip(block, settings))
        return
    commands = list(split_commands(block, incomplete))
    notices.extend(n for command in commands for n in nested_prompts(command))
    typed = chosen_output(block, commands, settings.facts, incomplete)
    service = block.options.service
    if service is None:
        yield from (_command(t, block, settings) for t in typed)
        return
    if len(typed) != 1:
        raise GuideError(block.span.path, block.span.start, "a service block holds one command")
    if service.name in running:
        raise GuideError(
            block.span.path, typed[0].span.start, f"service {service.name!r} is already running"
        )
    if split_status(typed[0].output)[1] is not None:
        line = typed[0].span.start
        raise GuideError(block.span.path, line, "a service has no exit status line (`[N]`)")
    start = _start_service(typed[0], block, settings)
    running[service.name] = start
    yield start


def _typed_text(command: PageCommand) -> str:
    typed = command
    text = typed_lines(command.lines)
    if not text.strip():
        raise GuideError(typed.span.path, typed.span.start, "empty command")
    return text


def _command(typed: PageCommand, block: Block, settings: PlanSettings) -> Command:
    fill = filler(typed.span, settings.placeholders)
    output, status = status_line(typed, block)
    mode = block.options.output
    return Command(
        span=typed.span,
        text=fill(_typed_text(typed), command=True),
        shown="\n".join(typed.lines),
        expected=_expected(typed, block, fill, output),
        exit_status=status,
        timeout=block.options.timeout or settings.timeout,
        skip=_skip(block, settings),
        strict_output=mode == "strict" or (mode is None and settings.strict_output),
    )


def _skip(block: Block, settings: PlanSettings) -> str | None:
    machine = settings.facts.get("platform") or this_platform()
    elsewhere = other_platform(block.tab, machine, settings.platform_tabs)
    if elsewhere is not None:
        return block.options.skip or elsewhere
    unless = block.options.unless
    if unless is not None and settings.environ.get(unless):
        return None
    return block.options.skip


def _start_service(typed: PageCommand, block: Block, settings: PlanSettings) -> StartService:
    service = block.options.service
    assert service is not None
    fill = filler(typed.span, settings.placeholders)
    try:
        ready = re.compile(service.ready)
    except re.error as error:
        raise GuideError(
            typed.span.path, block.span.start - 1, f"invalid `ready` pattern: {error}"
        ) from None
    from guiderunner.model import StartService  # a page with services builds it

    return StartService(
        span=typed.span,
        name=service.name,
        text=fill(_typed_text(typed), command=True),
        shown="\n".join(typed.lines),
        ready=ready,
        ready_timeout=service.ready_timeout or settings.ready_timeout,
        expected=_expected(typed, block, fill, typed.output),
        skip=_skip(block, settings),
    )


def _expected(
    typed: PageCommand, block: Block, fill: Callable[..., str], output: tuple[str, ...]
) -> tuple[LinePattern, ...]:
    """The expected lines `output` (the command's, its `[N]` line taken out) as patterns."""
    try:
        return compile_lines([fill(line) for line in output], regex=block.options.regex)
    except PatternError as error:
        raise GuideError(typed.span.path, typed.span.end + 1, str(error)) from None


def _stop(mark: StopMark, running: dict[str, StartService]) -> StopService:
    from guiderunner.model import StopService

    start = running.pop(mark.name, None)
    if start is None:
        raise GuideError(mark.span.path, mark.span.start, f"no running service named {mark.name!r}")
    return StopService(span=mark.span, name=mark.name, expected=start.expected, skip=start.skip)


def _stop_at_end(start: StartService) -> StopService:
    from guiderunner.model import StopService

    return StopService(span=start.span, name=start.name, expected=start.expected, skip=start.skip)


def _write_file(block: Block, sample: Path | None) -> WriteFile:
    assert block.title is not None
    if not block.title.strip():
        raise GuideError(block.span.path, block.span.start, "`title` is empty: give a file path")
    path = checked_path(block.title, sample)
    if path is None:
        raise GuideError(
            block.span.path, block.span.start, f"title {block.title!r} leaves the workspace"
        )
    from guiderunner.model import WriteFile  # a page with titled blocks builds it

    return WriteFile(
        span=block.span,
        path=path,
        content="\n".join(block.body) + "\n" if block.body else "",
    )


def checked_path(title: str, root: Path | None) -> str | None:
    """The normalised relative path of a titled block, or None when it would leave `root`.

    >>> [checked_path(title, None) for title in ("src/./Dockerfile", "../x", "/etc/x")]
    ['src/Dockerfile', None, None]
    """
    if not title or title.startswith("/") or "\\" in title or "\0" in title:
        return None
    normal = posixpath.normpath(title)
    if normal in (".", "..") or normal.startswith("../"):
        return None
    if root is not None and not _stays_inside(root, normal):
        return None
    return normal


def _stays_inside(root: Path, relative: str) -> bool:
    """True unless a symlink on the way leads out of `root`."""
    base = root.resolve()
    target = (base / relative).resolve()
    return target == base or base in target.parents


def check_syntax(commands: list[Step], bash: BashParser) -> None:
    """Have bash parse every command (without running any), so a typo fails before the run."""
    for command, message in zip(commands, bash.parse([c.typed for c in commands]), strict=True):
        if message:
            if is_incomplete(message):
                message = f"the command is incomplete ({message})"
            raise GuideError(
                command.span.path, command.span.start, f"bash cannot parse it: {message}"
            )
