"""`runner serve [--port N]`: the site as `runner publish` builds it, live (see site.preview).

The build is `runner publish` itself (guiderunner.cli.publish.publish_command, with the same
options), so the preview shows what would be published: badges, verified marks, the player,
both languages. A saved page is verified by `runner verify --no-cache` in a process of its own.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from guiderunner.cli import publish
from guiderunner.errors import ExitCode

DEFAULT_PORT = 8000
PREVIEW_REPORT = Path("preview") / "verify.json"
"""Under build/: the JSON report of the last verification."""


def arguments(parser: argparse.ArgumentParser) -> None:
    """`serve [--port N]` and publish's options."""
    publish.arguments(parser)
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        metavar="N",
        help=f"port on 127.0.0.1 (default {DEFAULT_PORT}; 0: any free port)",
    )


def serve_command(args: argparse.Namespace) -> int:
    """Serve the site, built at once, rebuilt and its page verified on save, until Ctrl-C."""
    from guiderunner.errors import UsageError
    from guiderunner.i18n import project
    from guiderunner.site.preview import Preview, serve

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: wants 0 to 65535")
    layout = project.layout(args.config)

    def page_for(changed: Path) -> Path | None:
        if changed.suffix == ".md" and changed.is_relative_to(layout.docs):
            return changed
        language = layout.language
        if language and changed.suffix == ".po" and changed.is_relative_to(layout.translations):
            relative = changed.relative_to(layout.translations).with_suffix(".md")
            return layout.build / "docs" / language / relative
        return None

    def verify(page: Path, report: Path) -> list[str]:
        command = [sys.executable, "-m", "guiderunner", "verify", "--no-cache"]
        return [*command, "--json", str(report), "--config", str(layout.config), str(page)]

    report = layout.build / PREVIEW_REPORT
    report.parent.mkdir(parents=True, exist_ok=True)
    preview = Preview(
        site=layout.site,
        watched=(layout.docs, layout.translations),
        port=args.port,
        rebuild=lambda: publish.publish_command(args),
        page_for=page_for,
        verify=verify,
        report=report,
    )
    serve(preview, lambda line: print(f"runner serve: {line}", flush=True))
    return ExitCode.OK
