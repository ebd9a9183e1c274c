"""From the command line to planned pages: settings, which pages, reading and planning them.

Every sub-command that takes pages goes through here, so that a page is found, read and
planned (and its mistakes reported) the same way by `list`, `verify`, `step` and `update`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from guiderunner.errors import UsageError, not_utf8
from guiderunner.model import Plan

if TYPE_CHECKING:
    from guiderunner.run.lifecycle import Echo, PageOptions
    from guiderunner.run.seams import StepListener
from guiderunner.markdown import block_tokens
from guiderunner.parse import Reader, parse_guide
from guiderunner.plan import plan_guide, plan_settings
from guiderunner.settings import Settings, find_config, load_settings


def page_arguments(parser: argparse.ArgumentParser, *, one: bool = False) -> None:
    """The arguments of every sub-command that takes pages."""
    if one:
        parser.add_argument("pages", nargs=1, type=Path, metavar="page", help="the page")
    else:
        parser.add_argument(
            "pages", nargs="*", type=Path, help="pages (default: every page of docs/)"
        )
    parser.add_argument("--config", type=Path, help="mkdocs.yml holding the runner settings")
    parser.add_argument(
        "--sample",
        help="a folder copied into each page's workspace (default: the `sample` setting, or none)",
    )
    parser.add_argument("--timeout", help="default seconds per command")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="a placeholder's value"
    )
    parser.add_argument(
        "--builder",
        metavar="{buildkit,legacy}",
        help="the Docker builder of the pages' `docker build` (default: buildkit)",
    )


def step_number(text: str) -> int:
    """A step number given on the command line (1 or more)."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a step number (1 or more), got {text!r}")
    return int(text)


def page_options(
    settings: Settings,
    listeners: Sequence[StepListener],
    *,
    keep_workspace: bool = False,
    echo: Echo | None = None,
) -> PageOptions:
    """How every command runs a page: from the settings, the runner's environment and record."""
    from guiderunner.run.box.home import scratch_home
    from guiderunner.run.box.leftovers import record_dir
    from guiderunner.run.docker.builder import BuilderLayer
    from guiderunner.run.lifecycle import PageOptions
    from guiderunner.run.seams import Extensions
    from guiderunner.run.secrets import SecretMask, secret_values
    from guiderunner.store.cache import probe_memo

    given = {name: settings.placeholders[name] for name in settings.placeholders}
    known = {**os.environ, **settings.env, **given, **_as_variables(given)}
    mask = SecretMask(secret_values(known, settings.secrets), settings.secrets)
    return PageOptions(
        secrets=mask,
        sample=settings.sample,
        base_env=os.environ,
        extra_env=settings.env,
        record=record_dir(os.environ),
        keep_workspace=keep_workspace,
        echo=echo,
        extensions=Extensions(
            environment=(scratch_home,),
            output_filters=(mask,),
            docker_environment=(BuilderLayer(settings.builder, probe_memo(os.environ)),),
            listeners=tuple(listeners),
        ),
    )


def _as_variables(values: Mapping[str, str]) -> dict[str, str]:
    """Placeholder values under the names of the variables that would override them."""
    from guiderunner.settings import placeholder_variable

    return {placeholder_variable(name): value for name, value in values.items()}


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings: the given or nearest mkdocs.yml, then the environment, then the options.

    The parsed mkdocs.yml is kept in the runner's cache folder while its text is unchanged.
    """
    from guiderunner.store.cache import cache_dir

    config = args.config
    if config is not None and not config.is_file():
        raise UsageError(f"no such configuration file: {config}")
    start = args.pages[0].resolve().parent if args.pages else Path.cwd()
    return load_settings(
        config or find_config(start),
        sample=args.sample,
        timeout=args.timeout,
        given=_assignments(args.set),
        builder=getattr(args, "builder", None),
        memo=cache_dir(os.environ),
    )


def _assignments(pairs: Sequence[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise UsageError(f"--set wants NAME=VALUE, got {pair!r}")
        values[name] = value
    return values


def chosen(lang: str, pages: Sequence[Path], settings: Settings) -> list[Path]:
    """The English pages, their translation (built from them and the catalogs), or both.

    `all` is every configured language: the English pages alone when none is configured.
    """
    english = list(pages) or sorted(settings.docs_dir.rglob("*.md"))
    if lang not in ("en", "all", *settings.translations):
        configured = ", ".join(settings.translations) or "none"
        raise UsageError(
            f"--lang {lang}: not a language of this project (translations configured: "
            f"{configured}; runner setting `translations`)"
        )
    if lang == "en" or not settings.translations:
        return english
    from guiderunner.i18n.project import translated_pages

    translated = translated_pages(settings.root / "mkdocs.yml", english, settings.docs_dir)
    return translated if lang != "all" else english + translated


def plans(pages: Sequence[Path], settings: Settings, *, reader: bool = False) -> list[Plan]:
    """Parse and plan every page before any runs, so that one bad page stops them all.

    `reader` plans a reader's run: hidden blocks left out. Each page's notices (prompt lines
    that will not run) go to stderr as `path:line: warning: ...`.
    """
    chosen = list(pages) or sorted(settings.docs_dir.rglob("*.md"))
    if not chosen:
        raise UsageError(f"no pages given and none in {settings.docs_dir}")
    return [plan_page(page, settings, reader=reader) for page in chosen]


def plan_page(page: Path, settings: Settings, *, reader: bool = False) -> Plan:
    """One page parsed and planned, its notices printed; GuideError or UsageError if invalid.

    Its block tokens are kept in the runner's cache folder while its text is unchanged.
    """
    from guiderunner.store.cache import cache_dir
    from guiderunner.token_memo import TokenMemo

    memo = TokenMemo.for_page(cache_dir(os.environ), page)
    plan = planned(shown(page), read(page), settings, reader=reader, tokens=memo.tokens)
    memo.save()  # a page that cannot be read or planned keeps its last memo
    for notice in plan.notices:
        print(f"{notice.span}: warning: {notice.message}", file=sys.stderr)
    return plan


def planned(
    name: str,
    text: str,
    settings: Settings,
    *,
    reader: bool = False,
    builder: str | None = None,
    tokens: Reader = block_tokens,
) -> Plan:
    """A page's text parsed and planned: the one place every command reads and plans a page.

    `name` is how messages name it, `reader` plans a reader's run (hidden blocks left out),
    `builder` plans it under another Docker builder than the settings' (its `when` output),
    `tokens` reads its Markdown (guiderunner.markdown.block_tokens, or a memo of it).
    """
    for_plan = replace(plan_settings(settings), reader=reader)
    if builder is not None:
        for_plan = replace(for_plan, facts={**for_plan.facts, "builder": builder})
    return plan_guide(parse_guide(name, text, tokens), for_plan)


def nothing_to_verify(plan: Plan) -> str:
    """The message for a page named on the command line that has no step."""
    return (
        f"{plan.path}: nothing to verify (no `console`, `shell-session` or `terminal` block, "
        "no titled block)"
    )


def read(page: Path) -> str:
    """A page's text, or a one-line UsageError naming it.

    Only a regular file is read: a FIFO or a device would block or never end.
    """
    try:
        if not page.is_file():
            what = "no such page" if not page.exists() else "not a regular file"
            raise UsageError(f"{what}: {page}")
        data = page.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {page}: {error.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"{page}: {not_utf8(data, error)}") from None


def shown(page: Path) -> str:
    """The page as messages name it: relative to the current folder when it is below it."""
    try:
        return str(page.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(page)
