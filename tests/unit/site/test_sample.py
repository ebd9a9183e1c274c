"""The sample as a download: the same bytes for the same files, sources only, linked per page."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from guiderunner.site.sample import (
    archive_name,
    build_archive,
    link_repository,
    link_sample,
    show_clone,
    uses,
)


def _sample(root: Path) -> Path:
    for name, text in {
        "App.sln": "sln",
        "src/App/App.csproj": "<Project/>",
        "src/App/bin/Debug/App.dll": "binary",
        "src/App/obj/project.assets.json": "{}",
        ".git/HEAD": "ref",
        "build.sh": "#!/bin/sh\n",
    }.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "build.sh").chmod(0o775)
    (root / "outside").symlink_to("/etc/hostname")
    return root


def test_the_archive_holds_sources_only_with_plain_modes(tmp_path: Path) -> None:
    sample = _sample(tmp_path / "sample")
    target = tmp_path / "site" / "downloads" / "s.zip"
    assert build_archive(sample, target, "s") == 3
    with zipfile.ZipFile(target) as archive:
        infos = {i.filename: i for i in archive.infolist()}
        assert sorted(infos) == ["s/App.sln", "s/build.sh", "s/src/App/App.csproj"]
        assert infos["s/build.sh"].external_attr >> 16 & 0o777 == 0o755
        assert infos["s/App.sln"].external_attr >> 16 & 0o777 == 0o644
        assert archive.read("s/src/App/App.csproj") == b"<Project/>"
    assert not list(target.parent.glob("*.partial"))


def test_the_archive_does_not_depend_on_times_or_listing_order(tmp_path: Path) -> None:
    sample = _sample(tmp_path / "sample")
    first = tmp_path / "a.zip"
    build_archive(sample, first, "s")
    for path in sample.rglob("*"):
        if not path.is_symlink():
            os.utime(path, (1_900_000_000, 1_900_000_000))
    second = tmp_path / "b.zip"
    build_archive(sample, second, "s")
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("bad", ["../x", "a/b", "x.zip", "", ".hidden", "a b"])
def test_an_archive_name_is_one_plain_file_name(bad: str) -> None:
    with pytest.raises(ValueError, match="plain file name"):
        archive_name(bad or None, bad)


def test_links_point_at_the_archive_from_every_page_and_language() -> None:
    link = '<a href="runner:sample">get it</a> and <a href="runner:sample">again</a>'
    assert uses(link) == (True, False)
    assert link_sample(link, "", "", "s").count('href="./downloads/s.zip"') == 2
    assert 'href="../../downloads/s.zip"' in link_sample(link, "a/", "fr/", "s")
    assert 'href="../downloads/s.zip"' in link_sample(link, "", "fr/", "s")
    text = '<a href="runner:repository">the repository</a>, <code>runner:repository</code>'
    assert uses(text) == (False, True)
    assert link_repository(text, "https://example.org/r.git?a=1&b=2") == (
        '<a href="https://example.org/r.git?a=1&amp;b=2">the repository</a>, '
        "<code>runner:repository</code>"
    )


def test_a_clone_paragraph_shows_the_command_only_with_a_repository() -> None:
    page = '<p>Before.</p>\n<p><a href="runner:clone">Or clone it:</a></p>\n<p>After.</p>'
    assert show_clone(page, None) == "<p>Before.</p>\n\n<p>After.</p>"
    shown = show_clone(page, "https://example.org/r.git")
    assert '<p>Or clone it:</p>\n<div class="language-console highlight"' in shown
    assert 'data-copy="git clone https://example.org/r.git"' in shown
    assert "runner:" not in shown


def test_a_clone_link_inside_a_list_item_gives_the_command_inline() -> None:
    item = '<li>The sample: <a href="runner:clone">clone it with</a></li>'
    assert show_clone(item, "https://example.org/r.git") == (
        "<li>The sample: clone it with <code>git clone https://example.org/r.git</code></li>"
    )
    assert show_clone(item, None) == "<li>The sample: </li>"
