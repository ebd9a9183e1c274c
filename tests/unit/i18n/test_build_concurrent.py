"""Two shards of `--lang all` on one machine build the French pages at the same time."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from guiderunner.i18n import project

pytestmark = pytest.mark.timeout(120)
PAGES = 12


def site(root: Path) -> project.Layout:
    (root / "mkdocs.yml").write_text(
        "site_name: t\ndocs_dir: docs\nplugins:\n  - runner: {translations: [fr]}\n",
        encoding="utf-8",
    )
    (root / "docs").mkdir()
    (root / "translations" / "fr").mkdir(parents=True)
    for number in range(PAGES):
        text = f"# Page {number}\n\n" + "Some prose.\n\n" * 200
        (root / "docs" / f"p{number}.md").write_text(text, encoding="utf-8")
    return project.layout(root / "mkdocs.yml")


def build(layout: project.Layout) -> None:
    for _ in range(10):
        project.translate_docs(layout)


def read(layout: project.Layout, missing: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    found = 0
    for _ in range(200):
        for number in range(PAGES):
            path = layout.build / "docs" / "fr" / f"p{number}.md"
            try:
                found += not path.read_text(encoding="utf-8").startswith(f"# Page {number}")
            except FileNotFoundError:
                found += 1
    missing.put(found)


def test_a_reader_never_sees_a_page_missing_or_half_written(tmp_path: Path):
    layout = site(tmp_path)
    project.translate_docs(layout)
    missing: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    children = [
        multiprocessing.Process(target=build, args=(layout,)),
        multiprocessing.Process(target=build, args=(layout,)),
        multiprocessing.Process(target=read, args=(layout, missing)),
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=100)
    assert [child.exitcode for child in children] == [0, 0, 0]
    assert missing.get(timeout=5) == 0


def test_a_page_gone_from_the_docs_is_gone_from_the_french_ones(tmp_path: Path):
    layout = site(tmp_path)
    project.translate_docs(layout)
    (layout.docs / "p0.md").unlink()
    out = project.translate_docs(layout)
    assert not (out / "p0.md").exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(f"p{n}.md" for n in range(1, PAGES))
