"""`runner verify --record DIR`: each page run through a Recorder plugged into its seams.

A page is recorded in its lifecycle (guiderunner.run.lifecycle.PageRun): the shell's raw bytes and
the start of each step reach a PageRecording (guiderunner.report.page_recording), whose recorder
masks every text with the page's own output filters, the ones its reports get. The folder's
index (guiderunner.report.recording_index) is written after every page, so an interrupted run keeps
what it recorded.

A page without steps gets no recording. Steps of hidden blocks are left out (no chapter, no
command, no output), as the site leaves them out. A French page whose plan is the English one
(same content hash) runs, but is not recorded again: the English recording shows the same
steps. A page the cache would skip runs anyway when the folder has no recording of its plan.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from guiderunner.model import Block, Observation, PageResult, Plan, Verdict
from guiderunner.parse import parse_guide
from guiderunner.report.asciicast import Recorder
from guiderunner.report.page_recording import PageRecording, combined, hidden_steps
from guiderunner.report.recording_index import (
    SOURCE_LANGUAGE,
    Recorded,
    cast_file,
    read_index,
    recorded,
    write_index,
)
from guiderunner.run.lifecycle import PageOptions, run_page
from guiderunner.settings import Settings

__all__ = ["PageRecorder", "page_key"]

LANGUAGES = ("fr",)
"""Translations, under build/docs/<lang>/ (guiderunner.i18n.project)."""


def page_key(path: str, settings: Settings) -> tuple[str, str]:
    """A page's language and its path in the docs folder, from the path it was read from.

    A page outside the docs folder and its translations is named by its file name.
    """
    where = Path(path).resolve()
    folders = {"en": settings.docs_dir}
    folders.update({lang: settings.root / "build" / "docs" / lang for lang in LANGUAGES})
    for lang, folder in folders.items():
        if where.is_relative_to(folder.resolve()):
            return lang, where.relative_to(folder.resolve()).as_posix()
    return "en", where.name


def _hidden_blocks(path: str) -> list[tuple[int, int]]:
    """The lines of a page's hidden blocks, which a recording leaves out as the site does."""
    guide = parse_guide(path, Path(path).read_text(encoding="utf-8"))
    return [
        (item.span.start, item.span.end)
        for item in guide.items
        if isinstance(item, Block) and item.hidden
    ]


class PageRecorder:
    """Runs pages recorded into one folder, and keeps the folder's index."""

    def __init__(self, folder: Path, settings: Settings, hashes: Mapping[str, str]) -> None:
        self.folder = folder
        self._settings = settings
        self._hashes = hashes
        try:
            self._index = read_index(folder)
        except (OSError, ValueError):
            self._index = {}  # an unreadable index is rebuilt from this run's recordings

    def has(self, plan: Plan) -> bool:
        """Whether the folder already has a passing recording this page can show."""
        lang, page = page_key(plan.path, self._settings)
        return recorded(self._index, self.folder, lang, page, self._hashes[plan.path]) is not None

    def run(
        self,
        plan: Plan,
        options: PageOptions,
        judge: Callable[[Observation], Verdict],
        *,
        keep_going: bool,
    ) -> PageResult:
        """Run the page, recorded unless the English recording of the same plan will do."""
        lang, page = page_key(plan.path, self._settings)
        digest = self._hashes[plan.path]
        english = recorded(self._index, self.folder, "en", page, digest)
        if not plan.steps:  # nothing to watch: no recording, and no player on the site
            return run_page(plan, options, judge, keep_going=keep_going)
        if lang != "en" and english is not None:
            result = run_page(plan, options, judge, keep_going=keep_going)
            self._remember(lang, page, Recorded(english.cast, digest, result.passed))
            return result
        name = cast_file(lang, page)
        extensions = options.extensions
        mask = combined(extensions.output_filters)
        filters = extensions.output_filters
        held = lambda text: max((f.held_back(text) for f in filters), default=0)  # noqa: E731
        with Recorder(self.folder / name, page, mask=mask, held_back=held) as recorder:
            recording = PageRecording(recorder, hidden=hidden_steps(_hidden_blocks(plan.path)))
            seams = replace(
                extensions,
                raw_observers=(*extensions.raw_observers, recording.raw),
                step_started=(*extensions.step_started, recording.step_started),
            )
            result = run_page(
                plan, replace(options, extensions=seams), judge, keep_going=keep_going
            )
        self._remember(lang, page, Recorded(name, digest, result.passed))
        return result

    def carried(self, plan: Plan, result: PageResult) -> None:
        """A translated page carried over from its source page's plan shows that recording."""
        lang, page = page_key(plan.path, self._settings)
        digest = self._hashes[plan.path]
        source = recorded(self._index, self.folder, SOURCE_LANGUAGE, page, digest)
        if lang != SOURCE_LANGUAGE and source is not None:
            self._remember(lang, page, Recorded(source.cast, digest, result.passed))

    def _remember(self, lang: str, page: str, entry: Recorded) -> None:
        self._index = {**self._index, lang: {**self._index.get(lang, {}), page: entry}}
        write_index(self.folder, self._index)
