"""The mkdocs plugin declares the runner's settings, so `mkdocs build --strict` accepts them."""

from __future__ import annotations

import pytest

from guiderunner.settings import KNOWN_KEYS


def test_the_plugin_declares_exactly_the_settings_the_runner_reads():
    pytest.importorskip("mkdocs")
    from guiderunner.site.plugin import RunnerConfig

    declared = {name for name, _ in RunnerConfig._schema}
    assert declared == set(KNOWN_KEYS), "a setting added to one must be added to the other"
