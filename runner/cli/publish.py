"""`runner publish`: the bilingual site, English at / and French at /fr/ of site/."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runner.cli.i18n import config_argument, print_findings, shown
from runner.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from runner.i18n.project import Layout

BADGES_VARIABLE = "RUNNER_BADGES"  # read by runner.site.plugin in the mkdocs process


def arguments(parser: argparse.ArgumentParser) -> None:
    """`publish [--report FILE]`."""
    parser.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="a `runner verify --json` report: pages it verified say so",
    )
    config_argument(parser)


def publish_command(args: argparse.Namespace) -> int:
    """Translate the pages, then build English at / and French at /<lang>/ of site/."""
    from runner.i18n import project
    from runner.site.build import LANGUAGES, SiteBuild, audit_site, build_site
    from runner.site.strings import load_site_strings

    layout = project.layout(args.config)
    translated = project.translate_docs(layout)
    os.environ[BADGES_VARIABLE] = str(write_badges(layout, args.report))
    strings = load_site_strings(layout.translations / "site.yml")
    builds = [
        SiteBuild(LANGUAGES[0], layout.docs, {}),
        SiteBuild(LANGUAGES[1], translated, strings),
    ]
    build_site(layout.config, layout.site, layout.build, builds)
    problems = audit_site(layout.site)
    print_findings(problems)
    roots = ", ".join(f"{b.language.name} at /{b.language.root}" for b in builds)
    print(f"{shown(layout.site)}: {roots}")
    return ExitCode.FAILED if problems else ExitCode.OK


def write_badges(layout: Layout, report_path: Path | None) -> Path:
    """build/badges.json: each page's "verified on" line per language, for the site plugin."""
    from runner.i18n import project
    from runner.parse import parse_guide
    from runner.plan import plan_guide, plan_settings
    from runner.settings import load_settings
    from runner.site.badge import badge_html
    from runner.site.build import LANGUAGES
    from runner.store.cache import content_hashes

    settings = load_settings(layout.config)
    report = _report(report_path)
    for_plan = plan_settings(settings)
    plans = [
        plan_guide(parse_guide(p, project.read(layout.docs / p)), for_plan) for p in layout.pages()
    ]
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
            f"runner: no report at {shown(path)}: every page shows as not verified",
            file=sys.stderr,
        )
        return None
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read the report {path}: {error}") from None
    return loaded if isinstance(loaded, dict) else None
