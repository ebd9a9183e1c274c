"""The command table: every sub-command in one place, the README's list, one error path."""

from __future__ import annotations

import re

import pytest

from guiderunner.cli.main import COMMANDS, main
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


def test_a_shell_that_does_not_start_is_one_line_and_status_3(tmp_path, capsys, monkeypatch):
    page = tmp_path / "a.md"
    page.write_text("# A\n\n```console\n$ echo hi\nhi\n```\n", encoding="utf-8")
    fake = tmp_path / "bin"
    fake.mkdir()
    bash = fake / "bash"
    bash.write_text("#!/bin/sh\nexit 7\n", encoding="utf-8")  # a bash that dies at once
    bash.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", f"{fake}:/usr/bin:/bin")
    status = main(["verify", "--no-cache", str(page)])
    err = capsys.readouterr().err
    assert status in (1, 3), err
    assert "Traceback" not in err


def test_a_folder_the_run_may_not_write_is_one_line_and_status_3(tmp_path, capsys, monkeypatch):
    page = tmp_path / "a.md"
    page.write_text("# A\n\n```console\n$ echo hi\nhi\n```\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    status = main(["verify", "--no-cache", "--json", str(blocked / "r.json"), str(page)])
    err = capsys.readouterr().err
    assert status == 3, err
    assert err.startswith("runner: "), err
    assert err.count("\n") == 1, err
