r"""Console blocks as a reader gets them: copy gives the commands, output shows what ran.

The runner reads a console block as commands and expected lines (guiderunner.plan); a reader
copies and reads it. So, for each shown console block of a page, on its Markdown:

- its fence gets `data-runner-copy`: the commands as the runner types them (prompts off, `> `
  continuations and heredoc bodies as typed, no output), which `finish_html` turns into the
  `data-copy` that mkdocs-material's copy button copies instead of the block's text;
- each expected line that varies (`...`, a line with `...`, a ` (re)` pattern) shows what the
  last verified run printed there (guiderunner.site.outputs), or without a run a neutral
  rendering (`…`, a placeholder), never the pattern; either way marked quietly as varying;
- a block the runner skips says why, and a block expected to fail says with which status.

The marks travel through Pygments as private-use characters around a line (an output line is
one token, and no prompt starts with them), which `finish_html` turns into spans.

>>> page = "# T\n\n```console\n$ date\n[A-Z].* (re)\n```\n"
>>> print(present(page, [], CONSOLE_WORDS).replace(NEUTRAL, "[").replace(END, "]"))
# T
<BLANKLINE>
``` { .console .language-console data-runner-copy="ZGF0ZQ==" }
$ date
[<varies>]
```
<BLANKLINE>
>>> print(finish_html(f'<p data-runner-copy="ZGF0ZQ==">{NEUTRAL}x{END}</p>', CONSOLE_WORDS))
<p data-copy="date"><span class="runner-varies" title="Varies from run to run">x</span></p>
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from guiderunner.match import normalise
from guiderunner.model import Block
from guiderunner.parse import parse_guide
from guiderunner.plan.bash import BashParser
from guiderunner.plan.commands import PageCommand, page_oracle, split_commands, typed
from guiderunner.plan.expect import compile_line
from guiderunner.site.outputs import Run, fit
from guiderunner.site.readable import END, NEUTRAL, RAN, from_run, neutral

__all__ = ["CONSOLE_WORDS", "ConsoleWords", "finish_html", "page_commands", "present"]

COPY = re.compile(r'data-runner-copy="([A-Za-z0-9+/=]*)"')
MARKS = re.compile(f"([{RAN}{NEUTRAL}])([^{RAN}{NEUTRAL}{END}\n]*){END}")
FENCE = re.compile(r"^(?P<prefix>.*?)(?P<fence>`{3,}|~{3,})")
TITLE = re.compile(r"""\btitle=(?:"[^"]*"|'[^']*')""")


@dataclass(frozen=True, slots=True)
class ConsoleWords:
    """The words console blocks show, in one language."""

    varies: str = "Varies from run to run"
    """Tooltip of a neutral rendering (no run at hand)."""
    varies_run: str = "Varies from run to run: as the last verified run printed it"
    """Tooltip of a line shown from the last verified run."""
    placeholder: str = "<varies>"
    """Stands for a pattern line when no run is at hand."""
    more_lines: str = "… {count} more lines"
    """Where the middle of a long `...` is left out."""
    not_run: str = "Not run when this page is verified: {reason}"
    """Under a block the runner skips."""
    exit_status: str = "Expected to fail: exits with status {status}"
    """Under a block expected to exit non-zero."""
    reasons: Mapping[str, str] = field(default_factory=dict)
    """Skip reasons (written in the page's source language) in this language."""


CONSOLE_WORDS = ConsoleWords()
"""The source language's words."""


def shown_blocks(markdown: str) -> list[Block]:
    """The page's console blocks that the site shows (hidden ones never reach it)."""
    items = parse_guide("page", markdown).items
    return [i for i in items if isinstance(i, Block) and i.kind == "console" and not i.hidden]


def page_commands(markdown: str) -> list[list[PageCommand]]:
    """Each shown console block's commands, split as the runner splits them (one bash)."""
    blocks = shown_blocks(markdown)
    with BashParser() as bash:
        incomplete = page_oracle(bash, blocks)
        return [list(split_commands(block, incomplete)) for block in blocks]


def present(
    markdown: str,
    runs: Sequence[Sequence[Run | None]],
    words: ConsoleWords,
    placeholders: Mapping[str, str] | None = None,
) -> str:
    """The page with each shown console block as a reader gets it (see the module).

    `runs` holds, per block and command, the last verified run (`read_runs`); a block whose
    commands do not line up with them is shown neutrally.
    """
    blocks = shown_blocks(markdown)
    with BashParser() as bash:
        incomplete = page_oracle(bash, blocks)
        commands = [list(split_commands(block, incomplete)) for block in blocks]
    lines = markdown.split("\n")
    for index in reversed(range(len(blocks))):
        block_runs = runs[index] if index < len(runs) else ()
        _present_block(
            lines,
            blocks[index],
            commands[index],
            block_runs,
            words=words,
            placeholders=placeholders or {},
        )
    return "\n".join(lines)


def _present_block(
    lines: list[str],
    block: Block,
    commands: Sequence[PageCommand],
    runs: Sequence[Run | None],
    *,
    words: ConsoleWords,
    placeholders: Mapping[str, str],
) -> None:
    opener = FENCE.match(lines[block.span.start - 1])
    if opener is None:
        return
    prefix, fence = opener["prefix"], opener["fence"]
    matched = [_run_for(c, runs[i] if i < len(runs) else None) for i, c in enumerate(commands)]
    body: list[str] = []
    for command, run in zip(commands, matched, strict=True):
        body.extend(command.lines)
        body.extend(_output(command, block, run, words, placeholders))
    notes = _notes(block, matched, words)
    if not all(_under(prefix, line) for line in lines[block.span.start : block.span.end - 1]):
        body = list(block.body)  # a container this cannot rewrite: its lines stay
    segment = [
        prefix + fence + _attributes(block, commands, opener.string[opener.end() :]),
        *((prefix + line) if line else prefix.rstrip() for line in body),
        lines[block.span.end - 1],
    ]
    if notes:
        segment += ["", *(prefix + note for note in notes), ""]
    lines[block.span.start - 1 : block.span.end] = segment


def _under(prefix: str, line: str) -> bool:
    return line.startswith(prefix) or line == prefix.rstrip() or not line.strip()


def _attributes(block: Block, commands: Sequence[PageCommand], info: str) -> str:
    """The fence's new info: its language as classes, the copy text, its title if any."""
    copied = "\n".join(typed(c.lines) for c in commands)
    encoded = base64.b64encode(copied.encode("utf-8")).decode("ascii")
    lang = block.lang
    title = TITLE.search(info)
    extra = f" {title[0]}" if title else ""
    return f' {{ .{lang} .language-{lang} data-runner-copy="{encoded}"{extra} }}'


def _run_for(command: PageCommand, run: Run | None) -> Run | None:
    """The run, when it is of this very command (a translation may differ)."""
    if run is None or run.text != typed(command.lines):
        return None
    return run


def _output(
    command: PageCommand,
    block: Block,
    run: Run | None,
    words: ConsoleWords,
    placeholders: Mapping[str, str],
) -> list[str]:
    kept = list(command.output)
    while kept and not kept[-1].strip():
        kept.pop()
    trailing = list(command.output[len(kept) :])
    patterns = [
        compile_line(_filled(line, placeholders), regex=block.options.regex) for line in kept
    ]
    actual = _actual(run)
    fitted = fit(patterns, actual) if actual is not None else None
    shown: list[str] = []
    for i, (line, pattern) in enumerate(zip(kept, patterns, strict=True)):
        if fitted is None:
            shown.extend(neutral(line, pattern, words.placeholder))
        else:
            shown.extend(from_run(line, pattern, fitted[i], words.more_lines))
    return shown + trailing


def _filled(line: str, placeholders: Mapping[str, str]) -> str:
    for name, value in placeholders.items():
        line = line.replace(f"<{name}>", value)
    return line


def _actual(run: Run | None) -> list[str] | None:
    if run is None or run.output is None or run.outcome != "passed":
        return None
    return [re.sub(f"[{RAN}{NEUTRAL}{END}]", "", line) for line in normalise(run.output)]


def _notes(block: Block, runs: Sequence[Run | None], words: ConsoleWords) -> list[str]:
    notes: list[str] = []
    reason = block.options.skip
    ran = bool(runs) and all(r is not None and r.outcome == "passed" for r in runs)
    if reason is not None and not ran:
        said = words.not_run.format(reason=words.reasons.get(reason, reason))
        notes.append(f'<span class="runner-note runner-skipped">{html.escape(said)}</span>')
    status = block.options.exit_status
    if status != 0:
        said = words.exit_status.format(status=status)
        notes.append(f'<span class="runner-note runner-exit">{html.escape(said)}</span>')
    return notes


def finish_html(content: str, words: ConsoleWords) -> str:
    """The rendered page: copy texts in place, varying lines marked with their tooltips."""

    def copy(match: re.Match[str]) -> str:
        try:
            text = base64.b64decode(match[1], validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return match[0]
        return f'data-copy="{html.escape(text, quote=True)}"'

    def mark(match: re.Match[str]) -> str:
        title = words.varies_run if match[1] == RAN else words.varies
        return (
            f'<span class="runner-varies" title="{html.escape(title, quote=True)}">'
            f"{match[2]}</span>"
        )

    return MARKS.sub(mark, COPY.sub(copy, content))
