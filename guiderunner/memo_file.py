"""A small JSON object kept between runs to save time: read whole or not at all, written whole.

The settings' memo (config_memo) and the Docker clients' answers (run.docker.probe_memo) are
such files. One that cannot be read counts as empty, one that cannot be written is skipped:
either only costs the time the memo would have saved. A write goes to a temporary file in the
same folder, renamed over the memo, so a parallel run never reads half a file.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def read_memo(path: Path) -> dict[str, object]:
    """The memo's object, or {} when it is missing, unreadable or not a JSON object."""
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def write_memo(path: Path, content: Mapping[str, object]) -> None:
    """Write the whole memo, then rename it into place; a failure is left unsaid."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(content, out)
            Path(name).replace(path)
        finally:
            Path(name).unlink(missing_ok=True)
