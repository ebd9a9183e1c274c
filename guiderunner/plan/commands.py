r"""A console block's lines -> its commands: where each command ends, as bash would see it.

A `$ ` line starts a command. The lines under it continue it when the line before ends with
`\`, or while bash says the command is still incomplete (an open quote, a heredoc, a trailing
`|` or `&&`): that is when a terminal shows its `> ` prompt, and many pages (Docker's among
them) show a heredoc's body without it. Any other line is output, even one that starts with
`> ` (GitHub's docs show output that way). A bare `$` line with nothing under it is an idle
prompt, not a command.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from guiderunner.errors import GuideError
from guiderunner.model import Block, Span
from guiderunner.plan.prompts import foreign_prompt

if TYPE_CHECKING:
    from guiderunner.model import Notice
    from guiderunner.plan.bash import BashParser

PROMPT = "$ "
CONTINUATION = "> "
MAYBE_OPEN = re.compile(
    r"<<|['\"`({]|[|&\\]\s*$|\b(?:do|then|else|elif|in)\s*$"
    r"|^\s*(?:if|while|until|for|case|select|function)\b",
    re.MULTILINE,
)
"""What a command that bash might still find incomplete holds: only those are asked about."""

SHELL_OPENER = re.compile(r"^\s*(?:sudo(?:\s+-\S+)*\s+(?:-[is]\b|su\b|bash\b|sh\b)|su\b)")
"""A command after which a reader types into another shell (`sudo -i`, `su -`, `sudo bash`)."""
NESTED_PROMPT = re.compile(r"^(?:# |\S+@\S+:\S*[#$] |/\S* # )\S")
"""A line that reads as a typed command at a root or remote prompt (`# ...`, `root@box:/# ...`)."""

Incomplete = Callable[[str], bool]
"""Typed text -> would bash wait for more lines?"""


@dataclass(frozen=True, slots=True)
class PageCommand:
    """One `$ ` command of a console block with the output printed under it."""

    span: Span
    """From the `$ ` line to its last continuation line."""
    lines: tuple[str, ...]
    """The command as shown, continuation lines included."""
    output: tuple[str, ...]
    """The expected output lines."""


def is_prompt(line: str) -> bool:
    """Does the line start a command (`$ ...`, or a bare `$`)?"""
    return line.startswith(PROMPT) or line.rstrip() == PROMPT.strip()


def is_continuation(line: str) -> bool:
    """Does the line look like a terminal's continuation (`> ...`, or a bare `>`)?"""
    return line.startswith(CONTINUATION) or line.rstrip() == CONTINUATION.strip()


def typed(lines: Sequence[str]) -> str:
    """What the reader types for these shown lines: prompts removed."""
    if len(lines) == 1:  # most commands: asked several times per command while planning
        return lines[0].removeprefix(PROMPT).removeprefix("$")
    first, *rest = lines
    return "\n".join([first.removeprefix(PROMPT).removeprefix("$"), *(_unprompt(r) for r in rest)])


def _unprompt(line: str) -> str:
    return line[len(CONTINUATION) :] if line.startswith(CONTINUATION) else line.removeprefix(">")


def might_be_open(text: str) -> bool:
    """Whether bash could still want more lines after `text` (False: it surely would not).

    >>> might_be_open("echo hi"), might_be_open("cat <<EOF"), might_be_open("ls |")
    (False, True, True)
    """
    return MAYBE_OPEN.search(text) is not None


def questions(body: Sequence[str]) -> list[str]:
    """The texts whose completeness decides where a command of this block ends, foreseen.

    Lines after an incomplete command with no `> ` (a heredoc's body) raise further questions,
    asked as they come (guiderunner.plan._oracle).
    """
    asked: list[str] = []
    current: list[str] = []
    for line in body:
        if is_prompt(line):
            current = [line]
        elif current and current[-1].endswith("\\"):
            current.append(line)
        elif current and is_continuation(line):
            asked.append(typed(current))
            current.append(line)
        elif current and might_be_open(typed(current)):
            asked.append(typed(current))
            current = []
        else:
            current = []
    return asked


def page_oracle(bash: BashParser, blocks: Sequence[Block]) -> Incomplete:
    """Ask bash, once for the whole page, every completeness question its blocks raise.

    A question not foreseen (the next line of a heredoc's body shown without `> `) is asked
    when it comes, on the same bash.
    """
    asked = [
        text
        for block in blocks
        if block.kind == "console"
        for body in (block.body, *(v.body for v in block.variants))
        for text in questions(body)
    ]
    unique = list(dict.fromkeys(asked))
    answers = dict(zip(unique, bash.incomplete(unique), strict=True))

    def incomplete(text: str) -> bool:
        if text not in answers:
            answers[text] = bash.incomplete([text])[0]
        return answers[text]

    return incomplete


def split_commands(block: Block, incomplete: Incomplete | None = None) -> Iterator[PageCommand]:
    """Split a console block into commands; `incomplete` defaults to a bash of its own."""
    if incomplete is not None:
        yield from _split(block, incomplete)
        return
    from guiderunner.plan.bash import BashParser

    with BashParser() as bash:
        yield from _split(block, page_oracle(bash, [block]))


def _split(block: Block, incomplete: Incomplete) -> Iterator[PageCommand]:
    path, first = block.span.path, block.span.start + 1
    current: list[str] = []
    output: list[str] = []
    start = first
    for number, line in enumerate(block.body, first):
        if is_prompt(line):
            yield from _command(path, start, current, output)
            current, output, start = [line], [], number
        elif current and not output and _continues(current, line, incomplete):
            current.append(line)
        elif current:
            _refuse_foreign(path, number, line, first=False)
            output.append(line)
        elif line.strip():
            _refuse_foreign(path, number, line, first=True)
            raise GuideError(path, number, "output before the first `$ ` command")
    yield from _command(path, start, current, output)


def _refuse_foreign(path: str, number: int, line: str, *, first: bool) -> None:
    """Another shell's prompt is never run nor expected: exit 2, naming it (plan.prompts)."""
    message = foreign_prompt(line, first=first)
    if message is not None:
        raise GuideError(path, number, message)


def _continues(current: list[str], line: str, incomplete: Incomplete) -> bool:
    if current[-1].endswith("\\"):
        return True
    text = typed(current)
    return (is_continuation(line) or might_be_open(text)) and incomplete(text)


def _command(path: str, start: int, current: list[str], output: list[str]) -> Iterator[PageCommand]:
    if not current:
        return
    if (
        len(current) == 1
        and current[0].rstrip() == PROMPT.strip()
        and not any(o.strip() for o in output)
    ):
        return  # an idle prompt, as terminals show after the last command
    yield PageCommand(Span(path, start, start + len(current) - 1), tuple(current), tuple(output))


def nested_prompts(command: PageCommand) -> Iterator[Notice]:
    """Prompt lines a reader would type into a nested shell: taken as output, never run.

    `$ sudo -i` then `# apt-get update`, or `root@box:/# ls` under `$ docker exec -it box sh`:
    the runner types only `$ ` lines, so it says so instead of expecting them silently.
    """
    opener = SHELL_OPENER.match(typed(command.lines)) is not None
    first = command.span.end + 1
    for number, line in enumerate(command.output, first):
        prompt = NESTED_PROMPT.match(line)
        if prompt and (opener or not line.startswith("# ")):
            where = Span(command.span.path, number, number)
            message = "a prompt line under a command is expected output, not run; use `$ ` lines"
            from guiderunner.model import Notice  # a page with such lines builds it

            yield Notice(where, message)
            return
