"""The content hash, the record of passes, and `runner verify` skipping unchanged pages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guiderunner.parse import parse_guide
from guiderunner.plan import PlanSettings, plan_guide
from guiderunner.store.cache import VerifyCache, cached_tool_versions, content_hash
from tests.conftest import ROOT

PAGE = """# Title

Some prose.

<!-- runner: timeout=30 -->
```console
$ echo "hello <who>"
hello <who>
```

```text title="notes.txt"
a note
```
"""


def plan_of(text: str, sample: Path | None = None, who: str = "world"):
    settings = PlanSettings(30.0, 30.0, {"who": who}, sample, {})
    return plan_guide(parse_guide("page.md", text), settings)


def hash_of(text: str, sample: Path | None = None, env=None, who: str = "world") -> str:
    return content_hash(plan_of(text, sample, who), sample, env or {})


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "sample"
    (root / "src" / "bin").mkdir(parents=True)
    (root / "src" / "obj").mkdir(parents=True)
    (root / "src" / "app.cs").write_text("class App {}\n")
    (root / "src" / "bin" / "app.dll").write_bytes(b"\x00build output")
    return root


# --- the hash --------------------------------------------------------------------------------


def test_prose_and_line_numbers_do_not_change_the_hash():
    edited = PAGE.replace("Some prose.", "Some better prose,\nover two lines.\n\n## And a heading")
    assert hash_of(edited) == hash_of(PAGE)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('echo "hello', 'echo  "hello'),  # the command
        ("hello <who>\n```", "hello ...\n```"),  # an expected line
        ("timeout=30", "timeout=31"),  # a directive
        ("timeout=30", "timeout=30 exit=0 regex"),  # the kind of the same lines
        ("a note", "another note"),  # a file's content
        ('title="notes.txt"', 'title="notes.md"'),  # a file's path
        ("<!-- runner: timeout=30 -->", '<!-- runner: skip="no" -->'),
    ],
)
def test_executable_edits_change_the_hash(old, new):
    assert old in PAGE
    assert hash_of(PAGE.replace(old, new)) != hash_of(PAGE)


def test_placeholder_values_and_shell_variables_change_the_hash():
    assert hash_of(PAGE, who="moon") != hash_of(PAGE)
    assert hash_of(PAGE, env={"A": "1"}) != hash_of(PAGE)


def test_the_sample_changes_the_hash_but_not_its_build_output(sample):
    before = hash_of(PAGE, sample)
    (sample / "src" / "bin" / "app.dll").write_bytes(b"rebuilt")
    (sample / "src" / "obj" / "cache").write_text("x")
    assert hash_of(PAGE, sample) == before
    (sample / "src" / "app.cs").write_text("class App { }\n")
    assert hash_of(PAGE, sample) != before
    (sample / "src" / "app.cs").write_text("class App {}\n")
    (sample / "src" / "new.cs").write_text("")
    assert hash_of(PAGE, sample) != before


# --- the record ------------------------------------------------------------------------------


def test_a_pass_counts_only_with_the_same_content_and_tools(tmp_path):
    page = tmp_path / "p.md"
    cache = VerifyCache(tmp_path / "cache", {"docker": "27.1"})
    assert cache.hit(page, "h1") is None
    cache.remember(page, "h1", passed=True)
    assert cache.hit(page, "h1") is not None
    assert cache.hit(page, "h2") is None
    assert VerifyCache(tmp_path / "cache", {"docker": "28.0"}).hit(page, "h1") is None
    cache.remember(page, "h1", passed=False)
    assert cache.hit(page, "h1") is None


def test_a_damaged_record_is_an_empty_one(tmp_path):
    (tmp_path / "verified.json").write_text("{not json")
    assert VerifyCache(tmp_path, {}).hit(tmp_path / "p.md", "h") is None


def test_tool_versions_are_asked_once_while_fresh(tmp_path):
    calls = []

    def ask():
        calls.append(1)
        return {"bash": "5.2"}

    assert cached_tool_versions(tmp_path, ask, ("bash",)) == {"bash": "5.2"}
    assert cached_tool_versions(tmp_path, ask, ("bash",)) == {"bash": "5.2"}
    assert len(calls) == 1
    saved = json.loads((tmp_path / "tools.json").read_text())
    saved["asked"] -= 3600
    (tmp_path / "tools.json").write_text(json.dumps(saved))
    cached_tool_versions(tmp_path, ask, ("bash",))
    assert len(calls) == 2


# --- runner verify ---------------------------------------------------------------------------


def test_verify_skips_an_unchanged_page_and_runs_an_edited_one(page, runner, tmp_path):
    path = page(PAGE)
    first = runner("verify", "--set", "who=world", path)
    assert first.status == 0
    assert "PASS" in first.out
    path.write_text(PAGE.replace("Some prose.", "Other prose."))
    second = runner("verify", "--set", "who=world", path)
    assert second.status == 0
    assert f"cached: {path.name} (passed at " in second.out
    assert "content unchanged)" in second.out
    assert "PASS" not in second.out
    assert "PASS" in runner("verify", "--no-cache", "--set", "who=world", path).out
    path.write_text(PAGE.replace('echo "hello', 'echo  "hello'))
    third = runner("verify", "--set", "who=world", path)
    assert "cached:" not in third.out
    assert "PASS" in third.out


def test_verify_runs_again_after_a_sample_change(page, runner, sample):
    path = page(PAGE)
    assert runner("verify", "--sample", sample, "--set", "who=w", path).status == 0
    assert "cached:" in runner("verify", "--sample", sample, "--set", "who=w", path).out
    (sample / "src" / "app.cs").write_text("class Changed {}\n")
    assert "cached:" not in runner("verify", "--sample", sample, "--set", "who=w", path).out


def test_a_failure_is_not_cached(page, runner):
    path = page("```console\n$ echo a\nb\n```\n")
    assert runner("verify", path).status == 1
    again = runner("verify", path)
    assert again.status == 1
    assert "cached:" not in again.out


def test_the_json_report_has_each_page_hash(page, runner, tmp_path):
    path = page(PAGE)
    report = tmp_path / "r.json"
    assert runner("verify", "--set", "who=world", "--json", report, path).status == 0
    (entry,) = json.loads(report.read_text())["pages"]
    assert entry["content_hash"] == hash_of(PAGE)
    assert runner("verify", "--set", "who=world", "--json", report, path).status == 0
    (cached,) = json.loads(report.read_text())["pages"]
    assert (cached["content_hash"], cached["passed"]) == (entry["content_hash"], True)


def test_a_prose_edit_is_a_cache_hit(tmp_path):
    """The real page, settings and sample solution, through a new process as a user runs it.

    How fast a hit is belongs to bench/ (a timed assertion fails on a loaded machine).
    """
    path = tmp_path / "authoring.md"
    shutil.copy(ROOT / "docs" / "authoring.md", path)
    command = [sys.executable, "-m", "guiderunner", "verify", "--config", ROOT / "mkdocs.yml", path]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def verify() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, check=False
        )

    first = verify()
    assert first.returncode == 0, first.stdout + first.stderr
    path.write_text(path.read_text().replace("Every page of this site", "Each page of this site"))
    second = verify()
    assert second.returncode == 0, second.stdout
    assert "cached: authoring.md" in second.stdout, second.stdout


def test_every_field_of_a_step_but_span_and_shown_is_in_the_hash():
    """The key is derived from the dataclass: a new field can never give a stale hit."""
    import dataclasses

    from guiderunner.model import UNHASHED, Plan

    plan = plan_of(PAGE)
    base = content_hash(plan, None, {})
    for index, step in enumerate(plan.steps):
        for field in dataclasses.fields(step):
            value = getattr(step, field.name)
            if isinstance(value, str):
                changed = value + "x"
            elif isinstance(value, bool | int | float):
                changed = value + 1
            else:
                continue
            steps = list(plan.steps)
            steps[index] = dataclasses.replace(step, **{field.name: changed})
            other = content_hash(Plan(plan.path, tuple(steps), plan.uses_docker), None, {})
            assert (other == base) == (field.name in UNHASHED), (step.KIND, field.name)
