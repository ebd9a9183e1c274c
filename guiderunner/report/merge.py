"""One report from the JSON reports of shards: each page once, with the environment it ran in.

Shards run on different machines, so each page entry of the merged report carries the
`environment` (tool versions) and the time (`verified_at`) of the report it came from; the
merged report's own `environment` keeps only the versions every shard agrees on. A page found
in two reports is kept once when both ran the same content; with different content hashes the
shards verified different versions of the page, and the merge refuses, naming both files.
The merged document is in the format of `runner verify --json`, so `runner publish --report`
reads it, and the JUnit file written from it has the shape of `runner verify --junit`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guiderunner.errors import UsageError
from guiderunner.model import NOT_PASSING
from guiderunner.report.junit import Case, Suite, write_suites

Document = dict[str, Any]


class MergeError(UsageError):
    """Reports that cannot be merged: unreadable, not a report, or in conflict."""


@dataclass(frozen=True, slots=True)
class ShardReport:
    """One input report, with the name messages give it."""

    source: str
    """The file it was read from."""
    document: Mapping[str, Any]
    """Its parsed JSON."""


def load_report(path: Path) -> ShardReport:
    """Read a `runner verify --json` report; anything else is a one-line MergeError."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MergeError(f"no such report: {path}") from None
    except OSError as error:
        raise MergeError(f"cannot read {path}: {error.strerror}") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise MergeError(f"{path}: not JSON ({error})") from None
    if not isinstance(document, dict) or not isinstance(document.get("pages"), list):
        raise MergeError(f"{path}: not a runner JSON report (no list of pages)")
    for number, entry in enumerate(document["pages"], 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise MergeError(f"{path}: page entry {number} has no path")
    return ShardReport(str(path), document)


def merge(reports: Sequence[ShardReport]) -> Document:
    """The merged report; pages sorted by path, so the argument order does not matter.

    A page is kept once per builder (its fingerprint's): the shards of a CI matrix over
    builders merge into one report whose badge names every environment.
    """
    if not reports:
        raise MergeError("nothing to merge: give at least one report")
    kept: dict[tuple[str, str], tuple[ShardReport, Document]] = {}
    for report in reports:
        for entry in report.document["pages"]:
            page = _with_provenance(entry, report)
            key = (page["path"], _builder(page))
            earlier = kept.get(key)
            if earlier is None or _prefer(page, report, *earlier):
                kept[key] = (report, page)
    pages = [kept[key][1] for key in sorted(kept)]
    return {
        "finished": max((str(r.document.get("finished") or "") for r in reports), default=""),
        "environment": _common_environment(reports),
        "passed": all(page.get("passed") is True for page in pages),
        "shards": [_shard_summary(r) for r in reports],
        "pages": pages,
    }


def _builder(page: Mapping[str, Any]) -> str:
    """The builder a page ran under: a page verified under two builders is kept once for each."""
    fingerprint = page.get("fingerprint")
    return str(fingerprint.get("builder") or "") if isinstance(fingerprint, dict) else ""


def _with_provenance(entry: Mapping[str, Any], report: ShardReport) -> Document:
    """The entry, with its shard's environment and finishing time unless it has its own."""
    page = dict(entry)
    page.setdefault("environment", report.document.get("environment"))
    if not page.get("verified_at") and report.document.get("finished"):
        page["verified_at"] = report.document["finished"]
    page["shard"] = report.source
    return page


def _prefer(page: Document, report: ShardReport, old_report: ShardReport, old: Document) -> bool:
    """Whether `page` replaces `old` (same path): a run beats a cached entry, then the later."""
    new_hash, old_hash = page.get("content_hash"), old.get("content_hash")
    if new_hash and old_hash and new_hash != old_hash:
        raise MergeError(
            f"{page['path']} is in {old_report.source} (content {str(old_hash)[:12]}) and in "
            f"{report.source} (content {str(new_hash)[:12]}): the shards verified different "
            "versions of the page; run them from one commit"
        )
    if bool(page.get("cached")) != bool(old.get("cached")):
        return not page.get("cached")
    return str(page.get("verified_at") or "") > str(old.get("verified_at") or "")


def _common_environment(reports: Sequence[ShardReport]) -> dict[str, Any]:
    """Tool versions every shard agrees on; a tool they disagree on is None."""
    environments = [r.document.get("environment") or {} for r in reports]
    names = sorted({name for env in environments for name in env})
    common: dict[str, Any] = {}
    for name in names:
        values = {json.dumps(env.get(name)) for env in environments}
        common[name] = environments[0].get(name) if len(values) == 1 else None
    return common


def _shard_summary(report: ShardReport) -> Document:
    document = report.document
    return {
        "source": report.source,
        "finished": document.get("finished"),
        "environment": document.get("environment"),
        "passed": document.get("passed"),
        "pages": len(document["pages"]),
    }


def merge_files(sources: Sequence[Path], json_out: Path, junit_out: Path | None = None) -> Document:
    """`runner report merge A.json B.json ... --json OUT [--junit OUT.xml]`: read, merge, write.

    Every input is read (and refused) before anything is written.
    """
    merged = merge([load_report(source) for source in sources])
    write_json(merged, json_out)
    if junit_out is not None:
        write_junit(merged, junit_out)
    return merged


def write_json(document: Document, path: Path) -> None:
    """Write the merged report as `runner verify --json` writes its own."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


# --- JUnit from a report -----------------------------------------------------------------------


def write_junit(document: Mapping[str, Any], path: Path) -> None:
    """JUnit XML in the shape of `runner verify --junit`: a suite per page, a case per step."""
    write_suites((_suite(page) for page in document.get("pages") or []), path)


def _suite(page: Mapping[str, Any]) -> Suite:
    steps = [s for s in page.get("steps") or [] if isinstance(s, dict)]
    name = str(page["path"])
    return Suite(name, _seconds(page.get("duration")), tuple(_case(name, s) for s in steps))


def _case(path: str, step: Mapping[str, Any]) -> Case:
    line, outcome, message = step.get("line"), step.get("outcome"), str(step.get("message") or "")
    failed = outcome in NOT_PASSING
    return Case(
        line=str(line),
        name=f"{line}: {step.get('kind')}: {step.get('name')}",
        file=path,
        seconds=_seconds(step.get("duration")),
        outcome=str(outcome),
        message=f"{path}:{line}: {message}" if failed else message,
        details=_details(path, step) if failed else "",
    )


def _details(path: str, step: Mapping[str, Any]) -> str:
    """What the terminal report shows for a failure, from what the JSON report kept of it."""
    lines = [f"    at {path}:{step.get('line')}: {step.get('message') or ''}"]
    lines += ["    command:", f"      {step.get('name')}"] if step.get("kind") == "command" else []
    diff = [str(d) for d in step.get("diff") or []]
    lines += ["    diff (expected -> actual):", *(f"      {d}" for d in diff)] if diff else []
    if step.get("status") is not None:
        lines.append(f"    exit status: {step.get('status')}")
    return "\n".join(lines) + "\n"


def _seconds(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0
