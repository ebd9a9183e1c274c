"""The command table: every sub-command in one place, the README's list, one error path."""

from __future__ import annotations

import re

import pytest

from guiderunner.cli import COMMANDS, main
from tests.conftest import ROOT


def test_the_readme_lists_exactly_the_commands_of_the_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^runner (\w+)", readme, re.MULTILINE))
    assert listed == {command.name for command in COMMANDS}


@pytest.mark.parametrize("name", [command.name for command in COMMANDS])
def test_every_command_has_help(name, capsys):
    assert main([name, "--help"]) == 0
    assert f"usage: runner {name}" in capsys.readouterr().out


def test_a_usage_error_is_one_line_and_status_2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["list", "missing.md"]) == 2
    assert capsys.readouterr().err == "runner: no such page: missing.md\n"


def test_bad_arguments_exit_2(capsys):
    assert main(["verify", "--until", "0"]) == 2
    assert "a step number (1 or more)" in capsys.readouterr().err


def test_a_toolchain_setting_error_keeps_its_status(capsys, monkeypatch):
    monkeypatch.setenv("RUNNER_REGISTRY_PORT", "http")
    assert main(["toolchain", "status"]) == 2
    assert capsys.readouterr().err.startswith("runner: RUNNER_REGISTRY_PORT='http'")
