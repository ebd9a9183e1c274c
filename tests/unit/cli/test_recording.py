"""`runner verify --record`: which language and page a planned page is, and hidden steps."""

from __future__ import annotations

from pathlib import Path

from guiderunner.cli.recording import page_key
from guiderunner.settings import load_settings


def test_pages_are_named_by_language_and_path_in_the_docs_folder(tmp_path: Path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    settings = load_settings(tmp_path / "mkdocs.yml")
    assert page_key(str(tmp_path / "docs" / "guides" / "a.md"), settings) == ("en", "guides/a.md")
    assert page_key(str(tmp_path / "build" / "docs" / "fr" / "a.md"), settings) == ("fr", "a.md")
    assert page_key(str(tmp_path / "elsewhere" / "b.md"), settings) == ("en", "b.md")
