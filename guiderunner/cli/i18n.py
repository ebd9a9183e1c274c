"""`runner i18n update|build|check`: the catalogs of the configured translation and its pages.

A project with no `translations` setting has nothing to translate: each action says so, exit 0.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from guiderunner.errors import ExitCode

if TYPE_CHECKING:
    from guiderunner.i18n.model import Catalog, Finding, PageStats
    from guiderunner.i18n.project import Layout


def arguments(parser: argparse.ArgumentParser) -> None:
    """`i18n update|build|check`, each with `--config`."""
    actions = parser.add_subparsers(dest="action", required=True)
    update = actions.add_parser("update", help="extract messages and merge them into catalogs")
    build = actions.add_parser("build", help="write translated pages into build/docs/<lang>/")
    check = actions.add_parser("check", help="statistics, violations and release thresholds")
    check.add_argument(
        "--min-translated",
        type=float,
        default=100.0,
        metavar="PERCENT",
        help="lowest share of translated messages per page (default: 100)",
    )
    check.add_argument(
        "--max-fuzzy",
        type=int,
        default=0,
        metavar="N",
        help="most fuzzy messages per page (default: 0)",
    )
    for action in (update, build, check):
        config_argument(action)


def config_argument(parser: argparse.ArgumentParser) -> None:
    """`--config`: the project's mkdocs.yml."""
    parser.add_argument("--config", type=Path, help="mkdocs.yml (default: the nearest one)")


def i18n_command(args: argparse.Namespace) -> int:
    """Run the chosen action."""
    actions = {"update": update_command, "build": build_command, "check": check_command}
    return actions[args.action](args)


def _translated_layout(args: argparse.Namespace) -> Layout | None:
    """The project's layout when it has a translation; else None, having said so."""
    from guiderunner.i18n import project

    layout = project.layout(args.config)
    if layout.language is None:
        print("runner: no translation configured (runner setting `translations`): nothing to do")
        return None
    return layout


def update_command(args: argparse.Namespace) -> int:
    """Extract every page's messages and merge them into its catalog."""
    from guiderunner.i18n import project
    from guiderunner.i18n.catalog import read_catalog, write_catalog
    from guiderunner.i18n.merge import merge

    layout = _translated_layout(args)
    if layout is None or layout.language is None:
        return ExitCode.OK
    for page in layout.pages():
        path = layout.catalog(page)
        old = read_catalog(path) if path.is_file() else None
        catalog = merge(old, project.fresh(layout, page), layout.language, layout.name)
        comment = project.CATALOG_COMMENT.format(
            language=project.NAMES.get(layout.language, layout.language), page=f"docs/{page}"
        )
        write_catalog(path, catalog, comment)
        print(f"{shown(path)}: {_summary(catalog)}")
    return ExitCode.OK


def build_command(args: argparse.Namespace) -> int:
    """Write the translated pages, English where a translation is missing or fuzzy."""
    from guiderunner.i18n import project

    layout = _translated_layout(args)
    if layout is None:
        return ExitCode.OK
    out = project.translate_docs(layout)
    print(f"{shown(out)}: {len(layout.pages())} pages")
    return ExitCode.OK


def check_command(args: argparse.Namespace) -> int:
    """Print statistics and findings; exit 1 when a page is below the thresholds.

    A page not translated yet is a warning (`untranslated: warn`, the default), not a failure.
    """
    from guiderunner.i18n import project
    from guiderunner.i18n.catalog import read_catalog
    from guiderunner.i18n.check import check_page
    from guiderunner.i18n.language import load_glossary
    from guiderunner.i18n.policy import fuzzy_policy, never_translated, untranslated_fails

    layout = _translated_layout(args)
    if layout is None:
        return ExitCode.OK
    glossary = load_glossary(layout.translations / "glossary.yml")
    policy = fuzzy_policy(layout.config)
    strict = untranslated_fails(layout.config)
    failed = False
    all_stats = []
    for page in layout.pages():
        path = layout.catalog(page)
        catalog = read_catalog(path) if path.is_file() else None
        stats, violations, pending = check_page(
            page, shown(path), catalog, project.fresh(layout, page), glossary
        )
        all_stats.append(stats)
        if never_translated(catalog):
            kind = "error" if strict else "warning"
            print(f"{shown(layout.docs / page)}: {kind}: not translated yet into {layout.language}")
            failed = failed or strict
            continue
        below = policy.below(stats, args.min_translated, args.max_fuzzy)
        print(_stats_line(stats))
        print_findings(violations)
        print_findings(policy.listed(pending, below))
        failed = failed or below or bool(violations)
    print(_stats_line(_total(all_stats)))
    return ExitCode.FAILED if failed else ExitCode.OK


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
    from guiderunner.i18n.model import PageStats

    return PageStats(
        "total",
        sum(p.total for p in pages),
        sum(p.translated for p in pages),
        sum(p.fuzzy for p in pages),
    )


def print_findings(findings: Sequence[Finding | str]) -> None:
    """Print each finding on its own line."""
    for finding in findings:
        print(finding)


def shown(path: Path) -> str:
    """A path as messages show it: relative to the current folder when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
