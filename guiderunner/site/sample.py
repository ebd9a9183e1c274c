r"""The sample solution in the reader's hands: a download, and links a page writes once.

`runner publish` zips the configured sample folder (`sample:` in mkdocs.yml) into
`downloads/<download>.zip` at the site's root, one file for every language. The archive is the
same bytes for the same files: entries sorted, one fixed date, modes reduced to 644 and 755, and
build output (`bin/`, `obj/`) and tool folders left out, so a reader gets sources only.

A page links it without knowing where it lands: a link to `runner:sample` becomes the archive's
URL relative to the page (French pages sit one folder deeper), and `runner:repository` becomes
the `repository:` setting, in a link or in code (`git clone runner:repository`).

>>> link_sample('<a href="runner:sample">zip</a>', "create-docker-images/", "fr/", "s")
'<a href="../../downloads/s.zip">zip</a>'
>>> archive_name(None, "sample-solution"), archive_name("stockkube-sample", "x")
('sample-solution', 'stockkube-sample')
"""

from __future__ import annotations

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
    "uses",
]

DOWNLOADS = "downloads/"
"""Where archives go, under the site's root."""
SAMPLE_LINK = re.compile(r'(href=")runner:sample(")')
REPOSITORY = "runner:repository"
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


def link_sample(content: str, page_url: str, language_root: str, name: str) -> str:
    """Point `runner:sample` links at the archive, relative to the page."""
    href = f"{to_root(page_url, language_root)}{DOWNLOADS}{name}.zip"
    return SAMPLE_LINK.sub(lambda m: f"{m[1]}{href}{m[2]}", content)


def link_repository(content: str, url: str) -> str:
    """Write the repository's URL where the page says `runner:repository`."""
    return content.replace(REPOSITORY, url)


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
        dirs[:] = sorted(d for d in dirs if d not in LEFT_OUT and not (Path(folder) / d).is_symlink())
        for file in sorted(files):
            path = Path(folder) / file
            if path.is_file() and not path.is_symlink():
                yield path
