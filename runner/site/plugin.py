"""The `runner` mkdocs plugin: accepts the runner's settings and keeps its comments off the site."""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections.abc import Callable
from pathlib import Path

from mkdocs.config import config_options as options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from runner.site.markup import (
    error_page_base,
    insert_after_title,
    language_root,
    link_alternates,
    strip_runner_comments,
)

BADGES_VARIABLE = "RUNNER_BADGES"  # set by `runner publish`: build/badges.json

MarkdownStep = Callable[[str, Page, MkDocsConfig], str]
"""A transform of a page's Markdown; it may read the page and the site's config."""


def _strip_comments(markdown: str, page: Page, config: MkDocsConfig) -> str:
    return strip_runner_comments(markdown)


def _add_badge(markdown: str, page: Page, config: MkDocsConfig) -> str:
    badges = _badges(os.environ.get(BADGES_VARIABLE, ""))
    badge = badges.get(config.theme["language"], {}).get(page.file.src_uri)
    return insert_after_title(markdown, badge) if badge else markdown


@functools.cache
def _badges(path: str) -> dict[str, dict[str, str]]:
    """The badges `runner publish` wrote, by language and page; none without it."""
    if not path:
        return {}
    with contextlib.suppress(OSError, ValueError):
        loaded = json.loads(Path(path).read_text(encoding="utf-8"))
        if isinstance(loaded, dict):
            return loaded
    return {}


MARKDOWN_STEPS: tuple[MarkdownStep, ...] = (_add_badge, _strip_comments)
"""What each page's Markdown goes through, in order."""


class RunnerConfig(Config):  # type: ignore[no-untyped-call]
    """The runner's settings (see runner.settings): declared so `--strict` accepts them."""

    sample = options.Optional(options.Type(str))
    timeout = options.Optional(options.Type((int, float)))
    ready_timeout = options.Optional(options.Type((int, float)))
    placeholders = options.Type(dict, default={})
    env = options.Type(dict, default={})


class RunnerPlugin(BasePlugin[RunnerConfig]):  # type: ignore[no-untyped-call]
    """Hides what only the runner reads, and links each page to its translations."""

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Run the page's Markdown through MARKDOWN_STEPS."""
        for step in MARKDOWN_STEPS:
            markdown = step(markdown, page, config)
        return markdown

    def on_template_context(
        self, context: TemplateContext, /, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext:
        """Root a translation's 404 page at its own folder (mkdocs roots it at the site's)."""
        if template_name == "404.html":
            root = language_root(config.extra.get("alternate") or [], config.theme["language"])
            context["base_url"] = error_page_base(context["base_url"], root)
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Make the language switcher lead to this page in the other language."""
        alternates = config.extra.get("alternate") or []
        return link_alternates(output, page.url, alternates) if alternates else output
