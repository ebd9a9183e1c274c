"""`runner: when KEY=VALUE` comments: a block's expected output in another environment.

A `when` comment holds a console block with the same commands as the visible block after it,
and the output a run sees when every `key=value` of the comment holds for that run (its facts,
`PlanSettings.facts`: `builder=buildkit` or `builder=legacy`). The first comment that holds
gives its output; when none does, the visible block's output is expected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from guiderunner.errors import GuideError
from guiderunner.model import Block, Span

if TYPE_CHECKING:
    from guiderunner.model import Variant
from guiderunner.plan.commands import Incomplete, PageCommand, split_commands


def chosen_output(
    block: Block, commands: list[PageCommand], facts: Mapping[str, str], incomplete: Incomplete
) -> list[PageCommand]:
    """The block's commands with the output of the first `when` comment this run's facts hold."""
    chosen: list[PageCommand] | None = None
    for variant in block.variants:
        _check_keys(variant, facts)
        span = Span(variant.span.path, variant.fence, variant.span.end)
        theirs = list(split_commands(replace(block, span=span, body=variant.body), incomplete))
        _check_same_commands(variant, theirs, commands)
        if chosen is None and all(facts[key] == value for key, value in variant.facts):
            chosen = [
                replace(mine, output=other.output)
                for mine, other in zip(commands, theirs, strict=True)
            ]
    return commands if chosen is None else chosen


def _check_keys(variant: Variant, facts: Mapping[str, str]) -> None:
    for key, _value in variant.facts:
        if key not in facts:
            known = ", ".join(sorted(facts)) or "none"
            raise GuideError(
                variant.span.path,
                variant.span.start,
                f"unknown fact `{key}` in `when` (known: {known})",
            )


def _check_same_commands(
    variant: Variant, theirs: list[PageCommand], mine: list[PageCommand]
) -> None:
    for index in range(max(len(theirs), len(mine))):
        other = theirs[index] if index < len(theirs) else None
        own = mine[index] if index < len(mine) else None
        if other is None or own is None or other.lines != own.lines:
            line = other.span.start if other is not None else variant.span.start
            shown = own.lines[0] if own is not None else "no command"
            raise GuideError(
                variant.span.path,
                line,
                f"a `when` block holds the same commands as the block after it ({shown!r} there)",
            )
