"""`runner publish`'s runs: only for a passing run of the page's current content, masked again."""

from __future__ import annotations

from pathlib import Path

from guiderunner.run.secrets import SecretMask
from guiderunner.site.runs import report_runs

PAGE = "# T\n\n```console\n$ echo $API_TOKEN\n...\n```\n\n```console\n$ date\n...\n```\n"


def _report(digest: str, *, passed: bool = True) -> dict[str, object]:
    steps = [
        {
            "line": 4,
            "kind": "command",
            "name": "$ echo $API_TOKEN",
            "outcome": "passed",
            "output": "hunter22\n",
        },
        {"line": 9, "kind": "command", "name": "$ date", "outcome": "passed", "output": "today\n"},
    ]
    page = {"path": "docs/p.md", "content_hash": digest, "passed": passed, "steps": steps}
    return {"finished": "2026-01-01T00:00:00+00:00", "pages": [page]}


def test_runs_of_the_current_content_are_kept_and_masked_again(tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text(PAGE)
    runs = report_runs(_report("h1"), {"p.md": "h1"}, tmp_path, SecretMask(("hunter22",)))
    assert runs == {
        "p.md": [
            [{"text": "echo $API_TOKEN", "output": "***\n", "outcome": "passed"}],
            [{"text": "date", "output": "today\n", "outcome": "passed"}],
        ]
    }


def test_a_stale_or_failed_run_gives_nothing(tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text(PAGE)
    assert report_runs(_report("old"), {"p.md": "h1"}, tmp_path) == {}
    assert report_runs(_report("h1", passed=False), {"p.md": "h1"}, tmp_path) == {}
    assert report_runs(None, {"p.md": "h1"}, tmp_path) == {}
