"""Guide -> Plan: ordered steps with expectations compiled, placeholders filled, paths checked.

Everything that can be wrong with a guide is found here, before anything runs.
"""

from __future__ import annotations

import posixpath
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from runner.errors import GuideError, missing_command
from runner.model import (
    Block,
    Command,
    Guide,
    LinePattern,
    Plan,
    Span,
    StartService,
    Step,
    StopMark,
    StopService,
    WriteFile,
)
from runner.plan.expect import PatternError, compile_lines
from runner.settings import Settings

PLACEHOLDER = re.compile(r"<([A-Za-z][\w.-]*(?::\d+)?)>")
PROMPT = "$ "
CONTINUATION = "> "
MAX_LINE = 4000  # a terminal in canonical mode cuts input lines at 4095 bytes
DOCKER = re.compile(r"\bdocker\b")


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


@dataclass(frozen=True, slots=True)
class PageCommand:
    """One `$ ` command of a console block with the output printed under it."""

    span: Span
    """From the `$ ` line to its last continuation line."""
    lines: tuple[str, ...]
    """The command as shown, continuation lines included."""
    output: tuple[str, ...]
    """The expected output lines."""


def plan_settings(settings: Settings) -> PlanSettings:
    """What planning takes from the run's settings."""
    return PlanSettings(
        timeout=settings.timeout,
        ready_timeout=settings.ready_timeout,
        placeholders=settings.placeholders,
        sample=settings.sample,
        environ=settings.environ,
    )


def plan_guide(guide: Guide, settings: PlanSettings) -> Plan:
    """Turn a page's blocks into steps; raises GuideError naming the line of any mistake."""
    steps: list[Step] = []
    running: dict[str, StartService] = {}
    for item in guide.items:
        if isinstance(item, StopMark):
            steps.append(_stop(item, running))
        else:
            steps.extend(_block_steps(item, settings, running))
    steps.extend(_stop_at_end(start) for start in reversed(running.values()))
    check_syntax([s for s in steps if isinstance(s, Command | StartService)])
    uses_docker = any(
        isinstance(s, Command | StartService) and s.skip is None and DOCKER.search(s.text)
        for s in steps
    )
    return Plan(path=guide.path, steps=tuple(steps), uses_docker=uses_docker)


def _block_steps(
    block: Block, settings: PlanSettings, running: dict[str, StartService]
) -> Iterator[Step]:
    if block.kind == "file":
        yield replace(_write_file(block, settings.sample), skip=_skip(block, settings))
        return
    typed = list(split_commands(block))
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
    start = _start_service(typed[0], block, settings)
    running[service.name] = start
    yield start


def split_commands(block: Block) -> Iterator[PageCommand]:
    r"""Split a console block into commands: `$ ` starts one; `\\` or `> ` lines continue it."""
    path, first = block.span.path, block.span.start + 1
    current: list[str] = []
    output: list[str] = []
    start = first
    for number, line in enumerate(block.body, first):
        if line.startswith(PROMPT) or line == PROMPT.strip():
            if current:
                yield PageCommand(
                    Span(path, start, start + len(current) - 1), tuple(current), tuple(output)
                )
            current, output, start = [line], [], number
        elif current and not output and _continues(current[-1], line):
            current.append(line)
        elif current:
            output.append(line)
        elif line.strip():
            raise GuideError(path, number, "output before the first `$ ` command")
    if current:
        yield PageCommand(
            Span(path, start, start + len(current) - 1), tuple(current), tuple(output)
        )


def _continues(previous: str, line: str) -> bool:
    return previous.endswith("\\") or line.startswith(CONTINUATION) or line == CONTINUATION.strip()


def _typed_text(typed: PageCommand) -> str:
    first, *rest = typed.lines
    text = "\n".join([first.removeprefix(PROMPT).removeprefix("$"), *(_unprompt(r) for r in rest)])
    if not text.strip():
        raise GuideError(typed.span.path, typed.span.start, "empty command")
    for offset, line in enumerate(text.split("\n")):
        if len(line) > MAX_LINE:
            raise GuideError(
                typed.span.path, typed.span.start + offset, f"line over {MAX_LINE} characters"
            )
    return text


def _unprompt(line: str) -> str:
    return line[len(CONTINUATION) :] if line.startswith(CONTINUATION) else line.removeprefix(">")


def _command(typed: PageCommand, block: Block, settings: PlanSettings) -> Command:
    fill = _filler(typed.span, settings.placeholders)
    return Command(
        span=typed.span,
        text=fill(_typed_text(typed), command=True),
        shown="\n".join(typed.lines),
        expected=_expected(typed, block, fill),
        exit_status=block.options.exit_status,
        timeout=block.options.timeout or settings.timeout,
        skip=_skip(block, settings),
    )


def _skip(block: Block, settings: PlanSettings) -> str | None:
    unless = block.options.unless
    if unless is not None and settings.environ.get(unless):
        return None
    return block.options.skip


def _start_service(typed: PageCommand, block: Block, settings: PlanSettings) -> StartService:
    service = block.options.service
    assert service is not None
    fill = _filler(typed.span, settings.placeholders)
    try:
        ready = re.compile(service.ready)
    except re.error as error:
        raise GuideError(
            typed.span.path, block.span.start - 1, f"invalid `ready` pattern: {error}"
        ) from None
    return StartService(
        span=typed.span,
        name=service.name,
        text=fill(_typed_text(typed), command=True),
        shown="\n".join(typed.lines),
        ready=ready,
        ready_timeout=service.ready_timeout or settings.ready_timeout,
        expected=_expected(typed, block, fill),
        skip=_skip(block, settings),
    )


def _expected(
    typed: PageCommand, block: Block, fill: Callable[..., str]
) -> tuple[LinePattern, ...]:
    try:
        return compile_lines([fill(line) for line in typed.output], regex=block.options.regex)
    except PatternError as error:
        raise GuideError(typed.span.path, typed.span.end + 1, str(error)) from None


def _filler(span: Span, values: Mapping[str, str]) -> Callable[..., str]:
    """Replace the placeholders that have a value; an unquoted one without a value is an error.

    Outside quotes, `<name>` can only be a placeholder: as shell it would be two redirections
    (`docker push <myorg>/app` would write a file named `/app`). Inside quotes, or in output,
    an unknown `<name>` is left alone: it is text, such as an HTML tag.
    """

    def fill(text: str, *, command: bool = False) -> str:
        if command:
            for match in PLACEHOLDER.finditer(text):
                if match[1] not in values and not _quoted(text, match.start()):
                    raise GuideError(
                        span.path, span.start, f"placeholder <{match[1]}> has no value"
                    )
        return PLACEHOLDER.sub(lambda m: values[m[1]] if m[1] in values else m[0], text)

    return fill


def _quoted(text: str, position: int) -> bool:
    """Is `position` inside single or double quotes of a shell command?

    >>> _quoted("grep '<h1>' x", 6), _quoted("echo <a> '<b>'", 5)
    (True, False)
    """
    quote, escaped = "", False
    for char in text[:position]:
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote and char == quote:
            quote = ""
        elif not quote and char in "'\"":
            quote = char
    return bool(quote)


def _stop(mark: StopMark, running: dict[str, StartService]) -> StopService:
    start = running.pop(mark.name, None)
    if start is None:
        raise GuideError(mark.span.path, mark.span.start, f"no running service named {mark.name!r}")
    return StopService(span=mark.span, name=mark.name, expected=start.expected, skip=start.skip)


def _stop_at_end(start: StartService) -> StopService:
    return StopService(span=start.span, name=start.name, expected=start.expected, skip=start.skip)


def _write_file(block: Block, sample: Path | None) -> WriteFile:
    assert block.title is not None
    path = checked_path(block.title, sample)
    if path is None:
        raise GuideError(
            block.span.path, block.span.start, f"title {block.title!r} leaves the workspace"
        )
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


def check_syntax(commands: list[Command | StartService]) -> None:
    """Have bash parse every command (without running any), so a typo fails before the run.

    One `bash -n` checks the whole page; only when it fails is each command checked alone,
    to name the first one bash rejects.
    """
    if commands and _bash_rejects(commands):
        for command in commands:
            message = _bash_rejects([command])
            if message:
                raise GuideError(
                    command.span.path, command.span.start, f"bash cannot parse it: {message}"
                )


def _bash_rejects(commands: list[Command | StartService]) -> str:
    script = "".join(f"__runner_check_{i}() {{\n:\n{c.text}\n}}\n" for i, c in enumerate(commands))
    # From a file, not a pipe: bash reads a pipe one byte at a time.
    with tempfile.NamedTemporaryFile("w", suffix=".sh", prefix="runner-check-") as file:
        file.write(script)
        file.flush()
        try:
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-n", file.name],
                capture_output=True,
                text=True,
                check=False,
            )
        except FileNotFoundError:
            raise missing_command("bash") from None
    if done.returncode == 0:
        return ""
    lines = done.stderr.strip().splitlines()
    return lines[-1].split(": ", 2)[-1] if lines else "syntax error"
