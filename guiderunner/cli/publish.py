"""`runner publish`: the site, the pages' language at / and each translation at /<code>/.

With recordings (`runner verify --record`, by default out/recordings when it is there), each
page whose plan was recorded passing gets its player and "verified" marks, and the player's
files (npm, guiderunner.site.player) are copied into the site after the builds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guiderunner.cli.i18n import config_argument, print_findings, shown
from guiderunner.errors import ExitCode, UsageError
from guiderunner.settings import BUILDERS
from guiderunner.site.tools_used import tools_used

if TYPE_CHECKING:
    from guiderunner.i18n.project import Layout
    from guiderunner.model import Plan
    from guiderunner.site.build import Language

BADGES_VARIABLE = "RUNNER_BADGES"  # read by guiderunner.site.plugin in the mkdocs process
RECORDINGS_VARIABLE = "RUNNER_RECORDINGS"  # the same, for the recordings
OUTPUTS_VARIABLE = "RUNNER_OUTPUTS"  # the same, for what each command printed in the report
DEFAULT_RECORDINGS = Path("out") / "recordings"
"""Under the project's root: where `./dev main` records."""


def arguments(parser: argparse.ArgumentParser) -> None:
    """`publish [--report FILE]`."""
    parser.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="a `runner verify --json` report: pages it verified say so",
    )
    parser.add_argument(
        "--recordings",
        type=Path,
        metavar="DIR",
        help="a `runner verify --record` folder (default: out/recordings when it exists)",
    )
    config_argument(parser)


def publish_command(args: argparse.Namespace) -> int:
    """Translate the pages, then build the source language at / and each translation below it."""
    from guiderunner.i18n import project
    from guiderunner.settings import load_settings
    from guiderunner.site.build import (
        SiteBuild,
        audit_site,
        build_site,
        outside_nav,
        site_languages,
    )
    from guiderunner.site.strings import load_site_strings

    layout = project.layout(args.config)
    settings = load_settings(layout.config)
    languages = site_languages(settings.translations)
    for page in outside_nav(layout.config, layout.pages()):
        print(f"runner: warning: {shown(layout.docs / page)} is not in the nav of mkdocs.yml")
    docs = {"en": layout.docs}
    if layout.language is not None:
        docs[layout.language] = project.translate_docs(layout)
    planned = {lang: plan_pages(layout, folder) for lang, folder in docs.items()}
    hashes = {lang: page_hashes(layout, plans) for lang, plans in planned.items()}
    # The default builder's hashes are the ones above; a page's `when` output gives the others.
    other_builders = [
        page_hashes(layout, plan_pages(layout, layout.docs, b))
        for b in BUILDERS
        if b != settings.builder
    ]
    used = {plan.path: tools_used(plan, settings.tools) for plan in planned["en"]}
    os.environ[BADGES_VARIABLE] = str(
        write_badges(
            layout, args.report, hashes["en"], other_builders, used=used, languages=languages
        )
    )
    os.environ[OUTPUTS_VARIABLE] = str(write_outputs(layout, args.report, hashes["en"]))
    recordings = write_recordings(layout, _recordings_folder(args, layout), hashes, docs)
    os.environ[RECORDINGS_VARIABLE] = str(layout.build / "recordings.json")
    builds = [SiteBuild(languages[0], layout.docs, {})]
    builds += [
        SiteBuild(lang, docs[lang.code], load_site_strings(layout.translations / "site.yml"))
        for lang in languages[1:]
    ]
    build_site(layout.config, layout.site, layout.build, builds)
    if recordings:
        from guiderunner.site.recordings import install_recordings

        install_recordings(recordings, layout.site)
    ship_sample(layout)
    problems = audit_site(layout.site, languages)
    print_findings(problems)
    roots = ", ".join(f"{b.language.name} at /{b.language.root}" for b in builds)
    print(f"{shown(layout.site)}: {roots}")
    return ExitCode.FAILED if problems else ExitCode.OK


def plan_pages(layout: Layout, docs: Path, builder: str | None = None) -> list[Plan]:
    """Every page of one language's docs folder planned, under the settings' builder or another.

    A page's `runner: when` output makes its plan, and so its hash, depend on the builder.
    """
    from guiderunner.cli.pages import planned
    from guiderunner.i18n import project
    from guiderunner.settings import load_settings

    settings = load_settings(layout.config)
    return [planned(p, project.read(docs / p), settings, builder=builder) for p in layout.pages()]


def page_hashes(layout: Layout, plans: Sequence[Plan]) -> dict[str, str]:
    """The content hash of each page's plan, by page."""
    from guiderunner.settings import load_settings
    from guiderunner.store.cache import content_hashes

    settings = load_settings(layout.config)
    return content_hashes(plans, settings.sample, settings.env)


def write_badges(
    layout: Layout,
    report_path: Path | None,
    hashes: dict[str, str],
    others: Sequence[Mapping[str, str]] = (),
    *,
    used: Mapping[str, Mapping[str, str]] | None = None,
    languages: Sequence[Language] = (),
) -> Path:
    """build/badges.json: each page's "verified on" line per language, for the site plugin.

    `others` are the pages' hashes under the other builders, whose passes count as well;
    `used` the tools each page ran (key -> name on the badge): the badge names only those.
    """
    from guiderunner.site.badge import badge_html
    from guiderunner.site.build import SOURCE

    report = _report(report_path)
    badges = {
        lang.code: {
            page: badge_html(
                page,
                digest,
                report,
                [o[page] for o in others if page in o],
                (used or {}).get(page, {}),
            )
            for page, digest in hashes.items()
        }
        for lang in languages or (SOURCE,)
    }
    path = layout.build / "badges.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(badges, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def write_outputs(layout: Layout, report_path: Path | None, hashes: Mapping[str, str]) -> Path:
    """build/outputs.json: what each verified page's commands printed, for the site plugin."""
    from guiderunner.run.secrets import SecretMask, secret_values
    from guiderunner.settings import load_settings
    from guiderunner.site.runs import report_runs, write_runs

    settings = load_settings(layout.config)
    mask = SecretMask(secret_values({**os.environ, **settings.env}, settings.secrets))
    runs = report_runs(_report(report_path, quiet=True), hashes, layout.docs, mask)
    return write_runs(layout.build / "outputs.json", runs)


def ship_sample(layout: Layout) -> None:
    """The sample solution as `downloads/<name>.zip` of the site (after the builds clean it)."""
    from guiderunner.settings import load_settings
    from guiderunner.site.sample import DOWNLOADS, archive_name, build_archive, pages_linking

    settings = load_settings(layout.config)
    if settings.sample is None:
        return
    try:
        name = archive_name(settings.download, settings.sample.name)
    except ValueError as error:
        raise UsageError(f"{shown(layout.config)}: {error}") from None
    if not settings.sample.is_dir():
        linking = pages_linking(layout.site, name)
        if linking:
            where = shown(linking[0])
            raise UsageError(f"{where} links the sample, but {settings.sample} is not a folder")
        print(f"runner: no sample folder {shown(settings.sample)}: no download", file=sys.stderr)
        return
    target = layout.site / DOWNLOADS / f"{name}.zip"
    count = build_archive(settings.sample, target, name)
    print(f"{shown(target)}: the sample, {count} files")


def write_recordings(
    layout: Layout,
    folder: Path | None,
    hashes: Mapping[str, Mapping[str, str]],
    docs: Mapping[str, Path],
) -> dict[str, dict[str, Any]]:
    """build/recordings.json: each page's recording per language, for the site plugin.

    Returns every recording the site gets (none without a folder), to install after the builds.
    """
    from guiderunner.report.recording_index import read_index
    from guiderunner.site.recordings import site_entries

    entries: dict[str, dict[str, dict[str, Any]]] = {}
    if folder is not None:
        try:
            entries = site_entries(read_index(folder), folder, hashes, docs)
        except (OSError, ValueError) as error:
            raise UsageError(f"cannot read the recordings in {folder}: {error}") from None
    path = layout.build / "recordings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
    for lang, pages in entries.items():
        print(f"recordings ({lang}): {len(pages)} of {len(hashes[lang])} pages")
    return {entry["cast"]: entry for pages in entries.values() for entry in pages.values()}


def _recordings_folder(args: argparse.Namespace, layout: Layout) -> Path | None:
    if args.recordings is not None:
        if not args.recordings.is_dir():
            raise UsageError(f"no recordings folder: {args.recordings}")
        return Path(args.recordings)
    default = layout.config.parent / DEFAULT_RECORDINGS
    return default if default.is_dir() else None


def _report(path: Path | None, *, quiet: bool = False) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if quiet:
            return None
        print(
            f"runner: no report at {shown(path)}: every page shows as not verified",
            file=sys.stderr,
        )
        return None
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read the report {path}: {error}") from None
    return loaded if isinstance(loaded, dict) else None
