"""The `runner` mkdocs plugin: the runner's settings accepted, its comments kept off the site.

It puts each language's own words on the site (badge, stale notice, theme strings, search),
each recorded page's "Watch this page run" player and "verified" marks, and console blocks as a
reader uses them (guiderunner.site.console), with the sample's links (guiderunner.site.sample).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from guiderunner.errors import GuideError
from guiderunner.i18n.stale import NOT_TRANSLATED
from guiderunner.settings import (
    BUILDERS,
    DEFAULT_BUILDER,
    FUZZY_POLICIES,
    UNTRANSLATED_POLICIES,
)
from guiderunner.site.additions import stale_notice, stemmed_search
from guiderunner.site.badge import relabel
from guiderunner.site.console import finish_html, present, shown_blocks
from guiderunner.site.error_page import root_error_page, translated_error_page
from guiderunner.site.markup import (
    insert_after_title,
    language_root,
    link_alternates,
    strip_runner_comments,
)
from guiderunner.site.outputs import read_runs
from guiderunner.site.recordings import decorate
from guiderunner.site.sample import (
    archive_name,
    link_repository,
    link_sample,
    show_clone,
    uses,
)
from guiderunner.site.strings import strings_of

BADGES_VARIABLE = "RUNNER_BADGES"  # set by `runner publish`: build/badges.json
RECORDINGS_VARIABLE = "RUNNER_RECORDINGS"  # set by `runner publish`: build/recordings.json
OUTPUTS_VARIABLE = "RUNNER_OUTPUTS"  # set by `runner publish`: build/outputs.json
STALE_KEY = "runner_stale"  # extra.runner_stale: page -> lagging messages (guiderunner.site.build)
WORDS_KEY = "runner_words"  # extra.runner_words: what theme/ templates show
THEME_DIR = Path(__file__).with_name("theme")
"""Templates and files layered over mkdocs-material's (under a project's own `custom_dir`)."""
STYLESHEET = "assets/stylesheets/runner.css"
"""The badge's, the stale notice's and the marks' style, in THEME_DIR, added to `extra_css`."""

MarkdownStep = Callable[[str, Page, MkDocsConfig], str]
"""A transform of a page's Markdown; it may read the page and the site's config."""


def _strip_comments(markdown: str, page: Page, config: MkDocsConfig) -> str:
    return strip_runner_comments(markdown)


def _add_badge(markdown: str, page: Page, config: MkDocsConfig) -> str:
    badges = _published(os.environ.get(BADGES_VARIABLE, ""))
    badge = badges.get(config.theme["language"], {}).get(page.file.src_uri)
    if not badge:
        return markdown
    return insert_after_title(markdown, relabel(badge, strings_of(config.extra).badge))


def _add_recording(markdown: str, page: Page, config: MkDocsConfig) -> str:
    """The page's player under the title and its "verified" marks, when it was recorded."""
    lang = config.theme["language"]
    entry = _published(os.environ.get(RECORDINGS_VARIABLE, "")).get(lang, {}).get(page.file.src_uri)
    if not entry:
        return markdown
    root = language_root(config.extra.get("alternate") or [], lang)
    return decorate(markdown, entry, page.url, root, lang, strings_of(config.extra).player)


def _present_console(markdown: str, page: Page, config: MkDocsConfig) -> str:
    """Console blocks as a reader gets them: copy text, what ran where output varies, notes."""
    runs = read_runs(_published(os.environ.get(OUTPUTS_VARIABLE, "")).get(page.file.src_uri))
    placeholders = _runner_setting(config, "placeholders") or {}
    try:
        return present(markdown, runs, strings_of(config.extra).console, placeholders)
    except GuideError as error:
        raise _page_error(page, error) from None


def _page_error(page: Page, error: GuideError) -> PluginError:
    return PluginError(f"{page.file.src_uri}:{error.line}: {error.message}")


def _runner_setting(config: MkDocsConfig, key: str) -> Any:
    plugin = config.plugins.get("runner")
    return plugin.config.get(key) if plugin is not None else None


def _add_stale_notice(markdown: str, page: Page, config: MkDocsConfig) -> str:
    """A translated page whose English changed since says so, and links to the original."""
    stale = config.extra.get(STALE_KEY) or {}
    if page.file.src_uri not in stale:
        return markdown
    alternates = config.extra.get("alternate") or []
    source = str(alternates[0].get("link", "")) if alternates else ""
    never = stale[page.file.src_uri] == NOT_TRANSLATED
    notice = stale_notice(strings_of(config.extra), page.url, source, never_translated=never)
    return insert_after_title(markdown, notice)


@functools.cache
def _published(path: str) -> dict[str, dict[str, Any]]:
    """What `runner publish` wrote (badges, recordings), by language and page; none without it."""
    if not path:
        return {}
    with contextlib.suppress(OSError, ValueError):
        loaded = json.loads(Path(path).read_text(encoding="utf-8"))
        if isinstance(loaded, dict):
            return loaded
    return {}


MARKDOWN_STEPS: tuple[MarkdownStep, ...] = (
    _add_stale_notice,
    _add_recording,
    _add_badge,
    _present_console,
    _strip_comments,
)
"""What each page's Markdown goes through, in order. Each addition goes right under the title,
so the last one added is on top: the badge, then the player, then the stale notice. The
recording's marks and the console blocks need the runner's comments, which go last; the
marks find console blocks by their fences, which `_present_console` rewrites, so it comes after."""


class RunnerConfig(Config):  # type: ignore[no-untyped-call]
    """The runner's settings (see guiderunner.settings): declared so `--strict` accepts them."""

    sample = options.Optional(options.Type(str))
    timeout = options.Optional(options.Type((int, float)))
    ready_timeout = options.Optional(options.Type((int, float)))
    placeholders = options.Type(dict, default={})
    env = options.Type(dict, default={})
    shards = options.Optional(options.Type(int))
    fuzzy = options.Choice(FUZZY_POLICIES, default=FUZZY_POLICIES[0])
    builder = options.Choice(BUILDERS, default=DEFAULT_BUILDER)
    secrets = options.Optional(options.ListOfItems(options.Type(str)))
    translations = options.ListOfItems(options.Type(str), default=[])
    untranslated = options.Choice(UNTRANSLATED_POLICIES, default=UNTRANSLATED_POLICIES[0])
    tools = options.Optional(options.Type(dict))
    toolchain = options.Type(dict, default={})
    external_fonts = options.Type(bool, default=False)
    strict_output = options.Type(bool, default=False)
    platform_tabs = options.Type(dict, default={})
    download = options.Optional(options.Type(str))
    repository = options.Optional(options.Type(str))


class RunnerPlugin(BasePlugin[RunnerConfig]):  # type: ignore[no-untyped-call]
    """Hides what only the runner reads, and links each page to its translations."""

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Run the page's Markdown through MARKDOWN_STEPS, once it is known to parse.

        The steps insert lines under the title, so a bad directive found after them would be
        named by a line the author's file does not have: the page as written is parsed first.
        """
        try:
            shown_blocks(markdown)
        except GuideError as error:
            raise _page_error(page, error) from None
        for step in MARKDOWN_STEPS:
            markdown = step(markdown, page, config)
        return markdown

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Copy texts and varying lines in place; `runner:` links pointed at the sample."""
        html = finish_html(html, strings_of(config.extra).console)
        html = show_clone(html, self.config.repository)
        sample, repository = uses(html)
        if sample:
            if not self.config.sample:
                where = page.file.src_uri
                raise PluginError(f"{where}: links runner:sample, but no `sample` is set")
            folder = Path(str(self.config.sample))
            try:
                name = archive_name(self.config.download, folder.name)
            except ValueError as error:
                raise PluginError(str(error)) from None
            root = language_root(config.extra.get("alternate") or [], config.theme["language"])
            html = link_sample(html, page.url, root, name)
        if repository:
            if not self.config.repository:
                raise PluginError(
                    f"{page.file.src_uri}: uses runner:repository, but the runner settings "
                    "give no `repository`"
                )
            html = link_repository(html, self.config.repository)
        return html

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """The package's theme files and style; no font host; this language's words."""
        _layer_theme(config, external_fonts=self.config.external_fonts)
        strings = strings_of(config.extra)
        if "toc" in config.mdx_configs or "toc" in config.markdown_extensions:
            config.mdx_configs.setdefault("toc", {})["permalink_title"] = strings.permalink
        config.extra[WORDS_KEY] = {"not_found": strings.not_found, "theme": dict(strings.theme)}
        return config

    def on_template_context(
        self, context: TemplateContext, /, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext:
        """A translation's 404 links relative to its folder, whose address its script finds.

        mkdocs roots the error page at `site_url`'s path, or `/` without one: wrong for a
        translation's folder, and for a site served under a project path.
        """
        if template_name == "404.html" and _error_root(config):
            context["base_url"] = ""
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Link the language switcher to this very page; search through the stemming worker."""
        alternates = config.extra.get("alternate") or []
        output = link_alternates(output, page.url, alternates) if alternates else output
        return stemmed_search(output)

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str:
        """The 404 page searches like the others, and finds its base (error_page.py)."""
        if template_name == "404.html":
            root = _error_root(config)
            if root:
                output_content = translated_error_page(output_content, root)
            else:
                alternates = config.extra.get("alternate") or []
                roots = [language_root(alternates, str(alt.get("lang"))) for alt in alternates]
                output_content = root_error_page(output_content, [r for r in roots if r])
        return stemmed_search(output_content)


def _error_root(config: MkDocsConfig) -> str:
    """This language's folder under the root site (`fr/`), or '' for the root language."""
    return language_root(config.extra.get("alternate") or [], config.theme["language"])


def _layer_theme(config: MkDocsConfig, *, external_fonts: bool) -> None:
    """Put the package's theme files under the project's own and its stylesheet in the site.

    A project's `custom_dir` stays first, so it can override any of them. Unless the runner's
    `external_fonts` setting says otherwise, the theme uses the system fonts: Material's
    default fetches Google Fonts, and a site must not ask another host for anything.
    """
    dirs = config.theme.dirs
    if str(THEME_DIR) not in dirs:
        custom = config.theme.custom_dir
        dirs.insert(1 if custom and dirs and dirs[0] == custom else 0, str(THEME_DIR))
    if not external_fonts:
        config.theme["font"] = False
    if STYLESHEET not in config.extra_css:
        config.extra_css.insert(0, STYLESHEET)
