"""The mkdocs plugin declares the runner's settings, so `mkdocs build --strict` accepts them."""

from __future__ import annotations

import pytest

from guiderunner.settings import KNOWN_KEYS


def test_the_plugin_declares_exactly_the_settings_the_runner_reads():
    pytest.importorskip("mkdocs")
    from guiderunner.site.plugin import RunnerConfig

    declared = {name for name, _ in RunnerConfig._schema}
    assert declared == set(KNOWN_KEYS), "a setting added to one must be added to the other"


def test_a_bad_directive_is_named_by_its_line_in_the_file_even_under_a_badge(tmp_path):
    """The badge goes in under the title before the console blocks are read: the error must
    still name the line the author wrote, not the line it has once the badge is in."""
    pytest.importorskip("mkdocs")
    import json
    import os
    import subprocess
    import sys

    (tmp_path / "docs").mkdir()
    page = "# Title\n\nText.\n\n<!-- runner: nonsense -->\n```console\n$ echo hi\nhi\n```\n"
    (tmp_path / "docs" / "index.md").write_text(page)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ntheme:\n  name: material\n  font: false\nplugins:\n  - runner\n"
    )
    badges = tmp_path / "badges.json"
    lines = "<p>one</p>\n\n<p>two</p>\n\n<p>three</p>\n\n"
    badges.write_text(json.dumps({"en": {"index.md": lines}}))
    env = {**os.environ, "RUNNER_BADGES": str(badges)}
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        check=False,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode != 0
    assert "index.md:5: unknown directive `nonsense`" in built.stderr + built.stdout
