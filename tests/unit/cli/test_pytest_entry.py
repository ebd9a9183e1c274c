"""The pytest plugin ships with the package, and stays idle without `--guides`."""

from __future__ import annotations

import importlib
import tomllib

from guiderunner.cli import pytest_plugin
from tests.conftest import ROOT


def test_the_package_declares_the_plugin_for_pytest():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    plugins = project["entry-points"]["pytest11"]
    # "runner" is the name of pytest's own _pytest.runner: a plugin of that name is never loaded.
    assert "runner" not in plugins
    module = importlib.import_module(plugins["runner-guides"])
    assert module is pytest_plugin
    assert callable(module.pytest_addoption)
    assert callable(module.pytest_collect_file)
