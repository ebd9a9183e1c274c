"""A page as slides for `runner step`: each step with the prose before it and its speaker note.

The prose of a step is the page's Markdown between the block before it and its own block
(headings, paragraphs, captions, other fences); every step of one block shares it, so the
room keeps its context. A `runner: note` comment gives the presenter's note for the block.
Search looks through a step's command and prose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from guiderunner.markdown import Heading, directive_lines
from guiderunner.model import Block, Guide, Plan, Step, StopMark
from guiderunner.presenter.screen import heading_before
from guiderunner.report.text import describe


@dataclass(frozen=True, slots=True)
class Slide:
    """What one step's screen shows besides the step itself."""

    prose: str
    """The Markdown before the step's block, runner comments left out (blank lines instead)."""
    note: str | None
    """The speaker note of the block (`runner: note`), for the presenter's eyes."""
    heading: str | None
    """The nearest heading above the step."""


def slides(plan: Plan, guide: Guide, text: str, found: tuple[Heading, ...]) -> tuple[Slide, ...]:
    """One slide per step of the plan, in order."""
    comments = {n for start, end in directive_lines(text) for n in range(start, end)}
    lines = [line if n not in comments else "" for n, line in enumerate(text.split("\n"))]
    items = sorted(guide.items, key=lambda item: item.span.start)
    return tuple(_slide(step, items, lines, found) for step in plan.steps)


def _slide(
    step: Step, items: Sequence[Block | StopMark], lines: list[str], found: tuple[Heading, ...]
) -> Slide:
    line = step.span.start
    index = next(
        (i for i, item in enumerate(items) if item.span.start <= line <= item.span.end), None
    )
    if index is None:
        return Slide("", None, heading_before(found, line))
    item = items[index]
    after = max((i.span.end for i in items[:index]), default=0)
    prose = "\n".join(lines[after : item.span.start - 1])
    note = item.options.note if isinstance(item, Block) else None
    return Slide(prose, note, heading_before(found, line))


def command_text(step: Step) -> str:
    """The step as the page shows it: what search looks through, with the prose."""
    if step.typed_lines:
        return "\n".join(step.typed_lines)
    return describe(step)


def search(plan: Plan, deck: Sequence[Slide], text: str, after: int) -> int | None:
    """The first step after `after` whose command or prose holds `text`, ignoring case.

    The search wraps round to the first step; None when no step holds it.

    >>> from guiderunner.model import Span, StopService
    >>> steps = tuple(StopService(Span("p.md", n, n), f"s{n}", ()) for n in (1, 2, 3))
    >>> plan = Plan("p.md", steps, False)
    >>> deck = [Slide("", None, None), Slide("Build it", None, None), Slide("", None, None)]
    >>> search(plan, deck, "build", 2), search(plan, deck, "S3", 1), search(plan, deck, "x", 1)
    (2, 3, None)
    """
    wanted = text.casefold()
    total = len(plan.steps)
    for offset in range(1, total + 1):
        number = (after - 1 + offset) % total + 1
        haystack = f"{command_text(plan.steps[number - 1])}\n{deck[number - 1].prose}"
        if wanted and wanted in haystack.casefold():
            return number
    return None


def target(
    plan: Plan, deck: Sequence[Slide], action: str, typed: str | None, view: int
) -> tuple[int | None, str]:
    """The step `g N` or `/TEXT` asks for from step `view`, or None and why not.

    >>> from guiderunner.model import Span, StopService
    >>> plan = Plan("p.md", (StopService(Span("p.md", 1, 1), "web", ()),), False)
    >>> target(plan, [Slide("", None, None)], "goto", "2", 1)
    (None, 'no step 2: the page has steps 1 to 1')
    """
    wanted, total = (typed or "").strip(), len(plan.steps)
    if not wanted:
        return None, ""
    if action == "goto":
        if wanted.isdigit() and 1 <= int(wanted) <= total:
            return int(wanted), ""
        return None, f"no step {wanted}: the page has steps 1 to {total}"
    found = search(plan, deck, wanted, view)
    return found, "" if found is not None else f"no step mentions {wanted!r}"
