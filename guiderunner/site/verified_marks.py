r"""A small "verified" mark under each console block that links to its step in the recording.

It works on the page's Markdown, before mkdocs renders it, for two reasons: the blocks are found
by the runner's own reader (`parse_guide`), the one every stage uses, instead of guessing them
back from highlighted HTML; and the mark is an ordinary Markdown line, so it sits right inside
lists and admonitions, indented like its block. A mark goes under its block, not above: above
it would come between the block and its `<!-- runner: ... -->` directive.

Blocks are matched to times by their order among the page's shown console blocks, so a French
page, whose lines differ, takes the times computed from its English source (`block_times` on
the English page, `add_verified_marks` on the French one); when the two pages do not have the
same blocks, the French one gets no marks rather than wrong ones.

>>> page = "# T\n\n```console\n$ echo hi\nhi\n```\nText.\n"
>>> times = block_times(page, {4: 1.5})
>>> times
(1.5,)
>>> print(add_verified_marks(page, times, WORDS["en"]))  # doctest: +NORMALIZE_WHITESPACE
# T
<BLANKLINE>
```console
$ echo hi
hi
```
<BLANKLINE>
<a class="verified-mark" href="#recording" data-recording-time="1.5"
title="Verified by the last run: watch this step (0:01)">✓ verified</a>
<BLANKLINE>
Text.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from guiderunner.model import Block
from guiderunner.parse import parse_guide
from guiderunner.site.player import ANCHOR

__all__ = ["WORDS", "MarkWords", "add_verified_marks", "block_times", "mark_html"]


@dataclass(frozen=True, slots=True)
class MarkWords:
    """The mark's words in one language."""

    text: str
    """What the mark shows."""
    title: str
    """Its tooltip: `{time}` is where the step starts in the recording (m:ss)."""


WORDS: Mapping[str, MarkWords] = {
    "en": MarkWords("✓ verified", "Verified by the last run: watch this step ({time})"),
    "fr": MarkWords(
        "✓ vérifié", "Vérifié par la dernière exécution\u00a0: voir cette étape ({time})"
    ),
}
"""Languages the site is published in; the caller picks one."""


def block_times(markdown: str, step_times: Mapping[int, float]) -> tuple[float | None, ...]:
    """For each shown console block of a page, in order, when its first step starts.

    `step_times` maps a step's line in this page to its time in the recording (the markers'
    `line` and `time`); a block none of whose steps ran (skipped) gets None.
    """
    return tuple(
        min(
            (t for line, t in step_times.items() if block.span.start < line <= block.span.end),
            default=None,
        )
        for block in _shown_console_blocks(markdown)
    )


def add_verified_marks(markdown: str, times: Sequence[float | None], words: MarkWords) -> str:
    """The page with a mark under each shown console block that has a time.

    `times` comes from `block_times` of this page or of the page it was translated from; if
    that page has another number of console blocks, this one is returned unchanged.
    """
    blocks = _shown_console_blocks(markdown)
    if len(blocks) != len(times):
        return markdown
    lines = markdown.split("\n")
    for block, time in reversed(list(zip(blocks, times, strict=True))):
        if time is None or block.span.end > len(lines):
            continue
        fence = lines[block.span.start - 1]
        indent = fence[: len(fence) - len(fence.lstrip())]
        after = block.span.end
        apart = [""] if after < len(lines) and lines[after].strip() else []
        lines[after:after] = ["", indent + mark_html(time, words), *apart]
    return "\n".join(lines)


def mark_html(time: float, words: MarkWords) -> str:
    """One mark: a link to the snippet that the page's script turns into a seek to `time`.

    >>> print(mark_html(75.25, WORDS["fr"]))  # doctest: +ELLIPSIS
    <a class="verified-mark" href="#recording" data-recording-time="75.25" title="...(1:15)">...</a>
    """
    minutes, seconds = divmod(int(time), 60)
    title = words.title.format(time=f"{minutes}:{seconds:02d}")
    return (
        f'<a class="verified-mark" href="#{ANCHOR}" data-recording-time="{round(time, 6)!r}" '
        f'title="{html.escape(title, quote=True)}">{html.escape(words.text)}</a>'
    )


def _shown_console_blocks(markdown: str) -> list[Block]:
    guide = parse_guide("page", markdown)
    return [
        item
        for item in guide.items
        if isinstance(item, Block) and item.kind == "console" and not item.hidden
    ]
