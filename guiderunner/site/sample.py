r"""The sample solution in the reader's hands: a download, and links a page writes once.

`runner publish` zips the configured sample folder (`sample:` in mkdocs.yml) into
`downloads/<download>.zip` at the site's root, one file for every language. The archive is the
same bytes for the same files: entries sorted, one fixed date, modes reduced to 644 and 755, and
build output (`bin/`, `obj/`) and tool folders left out, so a reader gets sources only.

A page links it without knowing where it lands: a link to `runner:sample` becomes the archive's
URL relative to the page (French pages sit one folder deeper), a link to `runner:repository`
the `repository:` setting. A paragraph that is only a link to `runner:clone` becomes, when a
repository is set, its text and a console block with `git clone <repository>`; without one it
goes, so a page can offer the clone command wherever the site has a repository to give.

>>> link_sample('<a href="runner:sample">zip</a>', "create-docker-images/", "fr/", "s")
'<a href="../../downloads/s.zip">zip</a>'
>>> archive_name(None, "sample-solution"), archive_name("stockkube-sample", "x")
('sample-solution', 'stockkube-sample')
"""

from __future__ import annotations

import html
import os
import re
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

from guiderunner.site.player import to_root

__all__ = [
    "DOWNLOADS",
    "archive_name",
    "build_archive",
    "link_repository",
    "link_sample",
    "pages_linking",
    "show_clone",
    "uses",
]

DOWNLOADS = "downloads/"
"""Where archives go, under the site's root."""
SAMPLE_LINK = re.compile(r'(href=")runner:sample(")')
REPOSITORY = 'href="runner:repository"'
CLONE = re.compile(r'<p><a href="runner:clone">(.*?)</a></p>', re.DOTALL)
CLONE_INLINE = re.compile(r'<a href="runner:clone">(.*?)</a>', re.DOTALL)
"""A `runner:clone` link inside other text (a list item): the command goes inline."""
LEFT_OUT = frozenset({"bin", "obj", ".git", ".vs", ".idea", "TestResults", "node_modules"})
"""Folders a reader's build makes or a tool keeps: never in the archive."""
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
EPOCH = (1980, 1, 1, 0, 0, 0)
"""The date of every entry: ZIP's first, so the bytes do not depend on checkout times."""


def archive_name(setting: str | None, sample_folder: str) -> str:
    """The archive's name without `.zip`: the `download` setting, else the sample's folder.

    Raises ValueError for a name that is not one plain file name.
    """
    name = setting or sample_folder
    if not NAME.match(name) or name.endswith(".zip"):
        raise ValueError(f"`download` wants a plain file name without .zip, got {name!r}")
    return name


def uses(content: str) -> tuple[bool, bool]:
    """Does a rendered page link the sample, the repository?"""
    return SAMPLE_LINK.search(content) is not None, REPOSITORY in content


def show_clone(content: str, url: str | None) -> str:
    """Each `runner:clone` paragraph as its text and the clone command, or gone without a URL.

    >>> shown = show_clone('<p><a href="runner:clone">Or clone it:</a></p>', "https://x/r.git")
    >>> shown.startswith('<p>Or clone it:</p>'), 'data-copy="git clone https://x/r.git"' in shown
    (True, True)
    >>> show_clone('<p><a href="runner:clone">Or clone it:</a></p>', None)
    ''
    """
    if url is None:
        return CLONE_INLINE.sub("", CLONE.sub("", content))
    command = html.escape(f"git clone {url}", quote=True)
    block = (
        f'<div class="language-console highlight" data-copy="{command}"><pre><span></span>'
        f'<code><span class="gp">$ </span>{command}\n</code></pre></div>'
    )
    content = CLONE.sub(lambda m: f"<p>{m[1]}</p>\n{block}", content)
    return CLONE_INLINE.sub(lambda m: f"{m[1]} <code>{command}</code>", content)


def link_sample(content: str, page_url: str, language_root: str, name: str) -> str:
    """Point `runner:sample` links at the archive, relative to the page."""
    href = f"{to_root(page_url, language_root)}{DOWNLOADS}{name}.zip"
    return SAMPLE_LINK.sub(lambda m: f"{m[1]}{href}{m[2]}", content)


def link_repository(content: str, url: str) -> str:
    """Point `runner:repository` links at the repository."""
    return content.replace(REPOSITORY, f'href="{html.escape(url, quote=True)}"')


def pages_linking(site_dir: Path, name: str) -> list[Path]:
    """The built pages that link the archive `name`, which must then be there."""
    needle = f'{DOWNLOADS}{name}.zip"'
    return [p for p in sorted(site_dir.rglob("*.html")) if needle in p.read_text(encoding="utf-8")]


def build_archive(sample: Path, target: Path, name: str) -> int:
    """Zip `sample`'s files under a folder `name/` into `target`; return how many it holds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    partial = target.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in _files(sample):
            relative = path.relative_to(sample).as_posix()
            info = zipfile.ZipInfo(f"{name}/{relative}", date_time=EPOCH)
            executable = path.stat().st_mode & stat.S_IXUSR
            info.external_attr = ((0o755 if executable else 0o644) | stat.S_IFREG) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that the modes above are read
            archive.writestr(info, path.read_bytes())
            count += 1
    partial.replace(target)
    return count


def _files(root: Path) -> Iterator[Path]:
    """Regular files under `root`, sorted, build output and links left out."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d for d in dirs if d not in LEFT_OUT and not (Path(folder) / d).is_symlink()
        )
        for file in sorted(files):
            path = Path(folder) / file
            if path.is_file() and not path.is_symlink():
                yield path
