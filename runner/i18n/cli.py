"""`runner i18n update|build|check` and `runner publish`: where the files are, and the order.

Wire into runner/cli.py with `add_commands(commands)`; `main(argv)` runs them on its own.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runner.errors import ExitCode, UsageError
from runner.i18n.apply import translate_page, usable_translations
from runner.i18n.catalog import read_catalog, write_catalog
from runner.i18n.check import check_page
from runner.i18n.commands import add_commands
from runner.i18n.extract import extract_segments
from runner.i18n.language import load_glossary, load_site_strings
from runner.i18n.model import Catalog, Entry, Finding, PageStats
from runner.i18n.policy import fuzzy_policy
from runner.i18n.update import merge, messages
from runner.settings import find_config, load_settings
from runner.site.build import LANGUAGES, SiteBuild, audit_site, build_site

LANGUAGE = "fr"
BADGES_VARIABLE = "RUNNER_BADGES"  # read by runner.site.plugin in the mkdocs process
CATALOG_COMMENT = "French translation of {page}. Run `runner i18n update` after editing the page."


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a project keeps its pages, translations and build output."""

    config: Path
    """mkdocs.yml."""
    docs: Path
    """The English pages."""
    translations: Path
    """translations/<lang>/: one PO file per page, glossary.yml, site.yml."""
    build: Path
    """Generated files: build/docs/<lang>/ pages and build/mkdocs.<lang>.yml configs."""
    site: Path
    """The published site."""

    def catalog(self, page: str) -> Path:
        """The PO file of a page given relative to the docs folder."""
        return self.translations / Path(page).with_suffix(".po")

    def pages(self) -> list[str]:
        """Every page, relative to the docs folder, in a stable order."""
        return sorted(p.relative_to(self.docs).as_posix() for p in self.docs.rglob("*.md"))


def main(argv: Sequence[str]) -> int:
    """Run `i18n ...` or `publish ...` on its own, printing usage errors like runner's cli."""
    parser = argparse.ArgumentParser(prog="runner")
    add_commands(parser.add_subparsers(dest="command", required=True))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return ExitCode.USAGE if exit_.code not in (0, None) else ExitCode.OK
    try:
        return int(args.handler(args))
    except UsageError as error:
        print(f"runner: {error}", file=sys.stderr)
        return ExitCode.USAGE


def update_command(args: argparse.Namespace) -> int:
    """Extract every page's messages and merge them into its catalog."""
    layout = _layout(args.config)
    for page in layout.pages():
        path = layout.catalog(page)
        old = read_catalog(path) if path.is_file() else None
        catalog = merge(old, _fresh(layout, page), LANGUAGE)
        write_catalog(path, catalog, CATALOG_COMMENT.format(page=f"docs/{page}"))
        print(f"{_shown(path)}: {_summary(catalog)}")
    return ExitCode.OK


def build_command(args: argparse.Namespace) -> int:
    """Write the translated pages, English where a translation is missing or fuzzy."""
    layout = _layout(args.config)
    out = translate_docs(layout)
    print(f"{_shown(out)}: {len(layout.pages())} pages")
    return ExitCode.OK


def check_command(args: argparse.Namespace) -> int:
    """Print statistics and findings; exit 1 when a page is below the thresholds."""
    layout = _layout(args.config)
    glossary = load_glossary(layout.translations / "glossary.yml")
    policy = fuzzy_policy(layout.config)
    failed = False
    all_stats = []
    for page in layout.pages():
        path = layout.catalog(page)
        catalog = read_catalog(path) if path.is_file() else None
        stats, violations, pending = check_page(
            page, _shown(path), catalog, _fresh(layout, page), glossary
        )
        all_stats.append(stats)
        below = policy.below(stats, args.min_translated, args.max_fuzzy)
        print(_stats_line(stats))
        _print_findings(violations)
        _print_findings(policy.listed(pending, below))
        failed = failed or below or bool(violations) or catalog is None
    print(_stats_line(_total(all_stats)))
    return ExitCode.FAILED if failed else ExitCode.OK


def publish_command(args: argparse.Namespace) -> int:
    """Translate the pages, then build English at / and French at /<lang>/ of site/."""
    layout = _layout(args.config)
    translated = translate_docs(layout)
    os.environ[BADGES_VARIABLE] = str(write_badges(layout, args.report))
    strings = load_site_strings(layout.translations / "site.yml")
    builds = [
        SiteBuild(LANGUAGES[0], layout.docs, {}),
        SiteBuild(LANGUAGES[1], translated, strings),
    ]
    build_site(layout.config, layout.site, layout.build, builds)
    problems = audit_site(layout.site)
    _print_findings(problems)
    roots = ", ".join(f"{b.language.name} at /{b.language.root}" for b in builds)
    print(f"{_shown(layout.site)}: {roots}")
    return ExitCode.FAILED if problems else ExitCode.OK


def write_badges(layout: Layout, report_path: Path | None) -> Path:
    """build/badges.json: each page's "verified on" line per language, for the site plugin."""
    from runner.cache import content_hashes
    from runner.parse import parse_guide
    from runner.plan import plan_guide, plan_settings
    from runner.site.badge import badge_html

    settings = load_settings(layout.config)
    report = _report(report_path)
    for_plan = plan_settings(settings)
    plans = [plan_guide(parse_guide(p, _read(layout.docs / p)), for_plan) for p in layout.pages()]
    hashes = content_hashes(plans, settings.sample, settings.env)
    badges = {
        lang.code: {
            page: badge_html(page, digest, report, lang.code) for page, digest in hashes.items()
        }
        for lang in LANGUAGES
    }
    path = layout.build / "badges.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(badges, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _report(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        print(
            f"runner: no report at {_shown(path)}: every page shows as not verified",
            file=sys.stderr,
        )
        return None
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read the report {path}: {error}") from None
    return loaded if isinstance(loaded, dict) else None


def translated_pages(config: Path, english: Sequence[Path], docs: Path) -> list[Path]:
    """Build the French pages and return those of the given English pages, in the same order."""
    out = translate_docs(_layout(config))
    pages = []
    for page in english:
        try:
            pages.append(out / page.resolve().relative_to(docs.resolve()))
        except ValueError:
            raise UsageError(f"{page} is not a page of {docs}: it has no translation") from None
    return pages


def translate_docs(layout: Layout) -> Path:
    """Write build/docs/<lang>/: every page translated, every other file copied."""
    out = layout.build / "docs" / LANGUAGE
    if out.exists():
        shutil.rmtree(out)
    for source in sorted(layout.docs.rglob("*")):
        target = out / source.relative_to(layout.docs)
        if source.is_dir():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix != ".md":
            shutil.copy2(source, target)
            continue
        page = source.relative_to(layout.docs).as_posix()
        path = layout.catalog(page)
        if not path.is_file():
            print(
                f"runner: no catalog for {page}: its {LANGUAGE} page stays in English",
                file=sys.stderr,
            )
        catalog = read_catalog(path) if path.is_file() else None
        text = _read(source)
        target.write_text(
            translate_page(text, extract_segments(text), usable_translations(catalog)),
            encoding="utf-8",
        )
    return out


def _layout(config: Path | None) -> Layout:
    if config is not None and not config.is_file():
        raise UsageError(f"no such configuration file: {config}")
    found = config or find_config(Path.cwd())
    if found is None:
        raise UsageError("no mkdocs.yml here or above")
    settings = load_settings(found)
    if not settings.docs_dir.is_dir():
        raise UsageError(f"no docs folder: {settings.docs_dir}")
    root = settings.root
    return Layout(
        found, settings.docs_dir, root / "translations" / LANGUAGE, root / "build", root / "site"
    )


def _fresh(layout: Layout, page: str) -> tuple[Entry, ...]:
    return messages(page, extract_segments(_read(layout.docs / page)))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error}") from None


def _summary(catalog: Catalog) -> str:
    active = catalog.active
    translated = sum(e.translated for e in active)
    fuzzy = sum(e.fuzzy and bool(e.msgstr) for e in active)
    obsolete = len(catalog.entries) - len(active)
    return (
        f"{len(active)} messages: {translated} translated, {fuzzy} fuzzy, "
        f"{len(active) - translated - fuzzy} untranslated, {obsolete} obsolete"
    )


def _stats_line(stats: PageStats) -> str:
    return (
        f"{stats.page}: {stats.percent:.1f}% translated ({stats.translated}/{stats.total}), "
        f"{stats.fuzzy} fuzzy, {stats.untranslated} untranslated"
    )


def _total(pages: Sequence[PageStats]) -> PageStats:
    return PageStats(
        "total",
        sum(p.total for p in pages),
        sum(p.translated for p in pages),
        sum(p.fuzzy for p in pages),
    )


def _print_findings(findings: Sequence[Finding | str]) -> None:
    for finding in findings:
        print(finding)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
