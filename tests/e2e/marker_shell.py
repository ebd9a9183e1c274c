"""A page's shell built directly, for the tests that try to fool its end markers.

Shared by test_shell_markers.py and test_shell_quick.py: a ShellSession with a HOME of the
test's own, every process it started killed afterwards, and the line a page would type to read
the runner's marker token from its own PS1.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from guiderunner.run.box.processes import kill_session
from guiderunner.run.shell.session import ShellSession, new_nonce, shell_environment
from tests.conftest import own_home

TOKEN = "t=${PS1#*777;}; t=${t%%;*}"
"""The page reads the runner's marker token from its own PS1, as a page could."""


@pytest.fixture
def shell(tmp_path: Path) -> Iterator[ShellSession]:
    """A page's shell in tmp_path; its processes killed afterwards, whatever happened."""
    nonce = new_nonce()
    try:
        with ShellSession(
            tmp_path, shell_environment(own_home(tmp_path), {}, nonce), nonce
        ) as session:
            yield session
    finally:
        kill_session(nonce)
