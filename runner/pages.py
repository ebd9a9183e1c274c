"""From the command line to planned pages: settings, which pages, reading and planning them.

Every sub-command that takes pages goes through here, so that a page is found, read and
planned (and its mistakes reported) the same way by `list`, `verify`, `step` and `update`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from runner.errors import UsageError
from runner.model import Command, Plan, Step
from runner.parse import parse_guide
from runner.plan import plan_guide, plan_settings
from runner.report import describe, kind
from runner.settings import Settings, find_config, load_settings


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings: the given or nearest mkdocs.yml, then the environment, then the options."""
    config = args.config
    if config is not None and not config.is_file():
        raise UsageError(f"no such configuration file: {config}")
    start = args.pages[0].resolve().parent if args.pages else Path.cwd()
    return load_settings(
        config or find_config(start),
        sample=args.sample,
        timeout=args.timeout,
        given=_assignments(args.set),
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
    """The English pages, their French editions (built from them and the catalogs), or both."""
    english = list(pages) or sorted(settings.docs_dir.rglob("*.md"))
    if lang == "en":
        return english
    from runner.i18n.cli import translated_pages

    french = translated_pages(settings.root / "mkdocs.yml", english, settings.docs_dir)
    return french if lang == "fr" else english + french


def plans(pages: Sequence[Path], settings: Settings) -> list[Plan]:
    """Parse and plan every page before any runs, so that one bad page stops them all."""
    chosen = list(pages) or sorted(settings.docs_dir.rglob("*.md"))
    if not chosen:
        raise UsageError(f"no pages given and none in {settings.docs_dir}")
    for_plan = plan_settings(settings)
    return [plan_guide(parse_guide(shown(page), read(page)), for_plan) for page in chosen]


def read(page: Path) -> str:
    """A page's text, or a one-line UsageError naming it."""
    try:
        return page.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"no such page: {page}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {page}: {error}") from None


def shown(page: Path) -> str:
    """The page as messages name it: relative to the current folder when it is below it."""
    try:
        return str(page.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(page)


def step_summary(step: Step) -> str:
    """One line of `runner list`: the step's kind, what it does, and options that change it."""
    notes = [f"skip: {step.skip}"] if step.skip else []
    if isinstance(step, Command):
        notes += [f"exit {step.exit_status}"] if step.exit_status else []
        notes.append(f"timeout {step.timeout:g}s")
    suffix = f"  ({', '.join(notes)})" if notes else ""
    return f"{kind(step):<7}  {describe(step)}{suffix}"
