"""What a page's shell prints, as anyone may see it: filtered live, and in each observation.

The output filters (the secret mask among them) rewrite text; a secret may arrive cut between
two chunks, so the live echo keeps back the tail a filter still needs to see completed, and
lets it go once the step is over. One object per page (guiderunner.run.lifecycle.PageRun).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import replace

from guiderunner.model import Observation
from guiderunner.run.seams import Extensions


class PageOutput:
    """The page's filters and live echo: `raw` takes the shell's bytes, `filtered` a step's."""

    def __init__(self, extensions: Extensions, echo: Callable[[str], None] | None) -> None:
        self._extensions = extensions
        self._echo_to = echo
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def _filter(self, text: str) -> str:
        for rewrite in self._extensions.output_filters:
            text = rewrite(text)
        return text

    def filtered(self, observation: Observation) -> Observation:
        """The step's observation, its output and shown command filtered.

        The step is over: the tail the live echo held back goes out first.
        """
        if self._pending:
            self._echo(self._pending, final=True)
        if not self._extensions.output_filters:
            return observation
        step, shown = observation.step, getattr(observation.step, "shown", None)
        if isinstance(shown, str) and self._filter(shown) != shown:
            step = replace(step, shown=self._filter(shown))  # type: ignore[arg-type]
        output = self._filter(observation.output)
        if output == observation.output and step is observation.step:
            return observation  # nothing to hide: no copy
        return replace(observation, step=step, output=output)

    def raw(self, chunk: bytes) -> None:
        """The shell's bytes as they come: raw observers first, then the filtered live echo."""
        for observer in self._extensions.raw_observers:
            observer(chunk)
        if self._echo_to is not None:
            self._echo(self._pending + self._decoder.decode(chunk), final=False)

    def _echo(self, text: str, *, final: bool) -> None:
        """Echo `text` filtered, keeping back a tail that a filter needs to see completed."""
        filters = self._extensions.output_filters
        keep = 0 if final else max((f.held_back(text) for f in filters), default=0)
        self._pending = text[len(text) - keep :] if keep else ""
        shown = self._filter(text[: len(text) - keep])
        if shown and self._echo_to is not None:
            self._echo_to(shown)
