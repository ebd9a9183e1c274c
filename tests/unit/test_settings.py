"""The builder setting: mkdocs.yml < RUNNER_BUILDER < --builder, and bad values named by source."""

from __future__ import annotations

from pathlib import Path

import pytest

from guiderunner.cli.main import build_parser
from guiderunner.cli.pages import settings_from
from guiderunner.errors import UsageError
from guiderunner.settings import load_settings


def config(tmp_path: Path, builder: str | None) -> Path:
    path = tmp_path / "mkdocs.yml"
    entry = f"\n      builder: {builder}" if builder else ""
    path.write_text(f"site_name: t\nplugins:\n  - runner:{entry or ' {}'}\n", encoding="utf-8")
    return path


def test_buildkit_by_default(tmp_path):
    assert load_settings(config(tmp_path, None), environ={}).builder == "buildkit"
    assert load_settings(None, environ={}).builder == "buildkit"


@pytest.mark.parametrize(
    ("in_config", "in_env", "given", "expected"),
    [
        ("legacy", None, None, "legacy"),
        ("legacy", "buildkit", None, "buildkit"),
        ("buildkit", "legacy", None, "legacy"),
        ("buildkit", "buildkit", "legacy", "legacy"),
        (None, "legacy", "buildkit", "buildkit"),
    ],
)
def test_the_command_line_wins_then_the_environment(tmp_path, in_config, in_env, given, expected):
    environ = {"RUNNER_BUILDER": in_env} if in_env else {}
    settings = load_settings(config(tmp_path, in_config), environ=environ, builder=given)
    assert settings.builder == expected


@pytest.mark.parametrize(
    ("in_config", "in_env", "given", "source"),
    [
        ("kaniko", None, None, "mkdocs.yml: runner setting builder: unknown builder 'kaniko'"),
        (None, "BuildKit", None, "RUNNER_BUILDER: unknown builder 'BuildKit'"),
        (None, None, "buildx", "--builder: unknown builder 'buildx' (buildkit or legacy)"),
    ],
)
def test_a_bad_value_names_where_it_came_from(tmp_path, in_config, in_env, given, source):
    environ = {"RUNNER_BUILDER": in_env} if in_env else {}
    with pytest.raises(UsageError, match="unknown builder") as raised:
        load_settings(config(tmp_path, in_config), environ=environ, builder=given)
    assert source in str(raised.value)


@pytest.mark.parametrize("command", ["verify", "step", "update", "list"])
def test_every_page_command_takes_builder(tmp_path, monkeypatch, command):
    monkeypatch.delenv("RUNNER_BUILDER", raising=False)
    page = tmp_path / "p.md"
    page.write_text("# p\n", encoding="utf-8")
    args = build_parser().parse_args([command, "--builder", "legacy", str(page)])
    assert settings_from(args).builder == "legacy"


def test_a_bad_builder_on_the_command_line_exits_2(runner, page):
    done = runner("verify", "--builder", "buildx", page("# p\n"))
    assert done.status == 2
    assert done.err == "runner: --builder: unknown builder 'buildx' (buildkit or legacy)\n"


def test_the_site_plugin_accepts_the_key():
    pytest.importorskip("mkdocs")
    from guiderunner.site.plugin import RunnerConfig

    plugin_config = RunnerConfig()
    plugin_config.load_dict({"builder": "legacy"})
    failed, _ = plugin_config.validate()
    assert not failed
    assert plugin_config["builder"] == "legacy"
    wrong = RunnerConfig()
    wrong.load_dict({"builder": "kaniko"})
    failed, _ = wrong.validate()
    assert failed
