"""Pages written the way real projects write them, verified with a real bash (issue 13).

The pages live in tests/pages/real-world/; each must pass as it is. Broken copies of them must
fail, at the right line, with a diff that shows the difference.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guiderunner.match import judge
from guiderunner.parse import parse_guide
from guiderunner.plan import PlanSettings, plan_guide
from guiderunner.run.lifecycle import PageOptions, run_page
from tests.conftest import ROOT

PAGES = ROOT / "tests" / "pages" / "real-world"
ENVIRONMENT_DEPENDENT = {"builder.md"}
"""Pages checked below with the facts and environment they need."""


def real_world_pages() -> list[object]:
    found: list[object] = []
    for path in sorted(PAGES.glob("*.md")):
        if path.name in ENVIRONMENT_DEPENDENT:
            continue
        found.append(pytest.param(path, id=path.stem))
    return found


@pytest.mark.parametrize("path", real_world_pages())
def test_real_world_page_passes(path: Path, runner):
    run = runner("verify", "--no-cache", path)
    assert run.status == 0, run.out + run.err
    assert " passed, 0 failed, 0 error" in run.out


def test_prompt_lines_in_script_fences_are_named_on_stderr(runner):
    run = runner("verify", "--no-cache", PAGES / "github-style.md")
    assert run.status == 0, run.out
    warning = "github-style.md:31: warning: 2 prompt lines in a `shell` fence are not run"
    assert warning in run.err


def test_github_style_output_is_not_run(runner, tmp_path: Path):
    page = tmp_path / "p.md"
    page.write_text("```console\n$ echo '> hi'\n> hi\n> touch leaked\n```\n", encoding="utf-8")
    run = runner("verify", "--no-cache", page)
    assert run.status == 1
    assert "-> touch leaked" in run.out  # an expected line that was not printed
    assert not (tmp_path / "leaked").exists()


def test_list_shows_whole_commands(runner):
    run = runner("list", PAGES / "github-style.md")
    assert run.status == 0
    lines = run.out.splitlines()
    at = lines.index(next(line for line in lines if 'echo "one' in line))
    assert lines[at + 1].strip() == '> two"'
    assert not any(line.strip() == "> Hello, world!" for line in lines)


def test_list_goes_on_past_bad_pages_and_names_each(runner, tmp_path: Path):
    bad1 = tmp_path / "bad1.md"
    bad1.write_text("```console\n$ echo 'open\n", encoding="utf-8")
    bad2 = tmp_path / "bad2.md"
    bad2.write_text("```console\n$ docker push <org>/x\n```\n", encoding="utf-8")
    run = runner("list", bad1, PAGES / "heredocs.md", bad2)
    assert run.status == 2
    assert "heredocs.md: 9 steps" in run.out
    assert "bad1.md:1: code fence ``` is never closed" in run.err
    assert "bad2.md:2: placeholder <org> has no value" in run.err


def test_a_named_page_with_nothing_to_verify_fails_and_says_so(runner, tmp_path: Path):
    page = tmp_path / "scripts.md"
    page.write_text("# Install\n\n```bash\n$ make install\n```\n", encoding="utf-8")
    run = runner("verify", "--no-cache", page)
    assert run.status == 2
    assert "scripts.md: nothing to verify" in run.err
    assert "scripts.md:3: warning: 1 prompt line in a `bash` fence" in run.err


def test_unnamed_pages_with_nothing_to_verify_are_counted(runner, tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "empty.md").write_text("# Just prose\n", encoding="utf-8")
    (docs / "one.md").write_text("```console\n$ echo x\nx\n```\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\ndocs_dir: docs\n", encoding="utf-8")
    run = runner("verify", "--no-cache")
    assert run.status == 0, run.out + run.err
    assert "1 page(s) with nothing to verify: " in run.out
    assert "empty.md" in run.out


def test_a_bell_is_compared_as_the_terminal_shows_it(runner, tmp_path: Path):
    # A terminal rings a BEL and shows nothing for it: the output is what the reader sees.
    page = tmp_path / "bell.md"
    page.write_text("```console\n$ printf 'done\\a\\n'\ndone\n```\n", encoding="utf-8")
    assert runner("verify", "--no-cache", page).status == 0


def test_as_reader_fails_at_the_visible_step_that_needs_a_hidden_one(runner):
    page = PAGES / "reader.md"
    assert runner("verify", "--no-cache", page).status == 0
    run = runner("verify", "--no-cache", "--as-reader", page)
    assert run.status == 1
    assert "reader.md:10: exit status 1, expected 0" in run.out
    assert "mkdir -p config" not in run.out


@pytest.mark.parametrize(
    ("expected", "printed", "shown"),
    [
        ("a\tb", r"a    b\n", "+a    b"),
        ("a b", r"a\302\240b\n", r"+a\u00a0b"),
        ("café", r"cafe\314\201\n", r"+cafe\u0301"),
    ],
)
def test_invisible_differences_show_in_the_report(
    runner, tmp_path: Path, expected: str, printed: str, shown: str
):
    page = tmp_path / "p.md"
    page.write_text(f"```console\n$ printf '{printed}'\n{expected}\n```\n", encoding="utf-8")
    run = runner("verify", "--no-cache", page)
    assert run.status == 1
    assert shown in run.out
    assert "^ column" in run.out


def test_one_character_off_in_a_10000_character_line(runner, tmp_path: Path):
    line = "x" * 5000 + "A" + "y" * 4999
    page = tmp_path / "p.md"
    command = "printf '%s%s%s\\n' \"$(printf 'x%.0s' {1..5000})\" B \"$(printf 'y%.0s' {1..4999})\""
    page.write_text(f"```console\n$ {command}\n{line}\n```\n", encoding="utf-8")
    run = runner("verify", "--no-cache", page)
    assert run.status == 1
    assert "^ column 5001" in run.out
    assert max(len(out) for out in run.out.splitlines()) < 300


def _builder_run(tmp_path: Path, builder: str, buildkit: str | None) -> bool:
    guide = parse_guide("builder.md", (PAGES / "builder.md").read_text(encoding="utf-8"))
    plan = plan_guide(
        guide,
        PlanSettings(20.0, 20.0, {}, None, {}, facts={"builder": builder}),
    )
    env = {k: v for k, v in os.environ.items() if k != "DOCKER_BUILDKIT"}
    extra = {"DOCKER_BUILDKIT": buildkit} if buildkit is not None else {}
    options = PageOptions(sample=None, base_env=env, extra_env=extra, record=tmp_path / "rec")
    return run_page(plan, options, judge, keep_going=False).passed


@pytest.mark.parametrize(
    ("builder", "buildkit", "passes"),
    [
        ("buildkit", "1", True),
        ("legacy", None, True),
        ("buildkit", None, False),
        ("legacy", "1", False),
    ],
)
def test_when_output_holds_under_each_builder_and_fails_when_broken(
    tmp_path: Path, builder: str, buildkit: str | None, passes: bool
):
    assert _builder_run(tmp_path, builder, buildkit) is passes


def test_after_a_failure_a_step_with_its_own_skip_shows_its_reason(runner, tmp_path: Path):
    page = tmp_path / "p.md"
    page.write_text(
        '```console\n$ false\n```\n\n<!-- runner: skip="needs an account" -->\n'
        "```console\n$ login\n```\n\n```console\n$ true\n```\n",
        encoding="utf-8",
    )
    run = runner("verify", "--no-cache", page)
    assert run.status == 1
    assert "[needs an account]" in run.out
    assert "p.md:2 failed]" in run.out
