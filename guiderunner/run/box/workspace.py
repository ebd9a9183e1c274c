"""A scratch copy of the sample solution for each page, so the repository is never touched."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Build output and IDE state are not part of the reader's starting point.
IGNORED = shutil.ignore_patterns("bin", "obj", "TestResults", ".vs", ".idea", "*.user")
PREFIX = "runner-"  # guiderunner.run.box.leftovers removes only temporary folders named so


@contextmanager
def scratch_workspace(sample: Path | None, *, keep: bool) -> Iterator[Path]:
    """Yield a fresh folder holding a copy of `sample`; removed afterwards unless `keep`."""
    root = Path(tempfile.mkdtemp(prefix=PREFIX))
    workspace = root / (sample.name if sample is not None else "workspace")
    try:
        if sample is not None:
            shutil.copytree(sample, workspace, symlinks=True, ignore=IGNORED)
        else:
            workspace.mkdir()
        yield workspace
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
