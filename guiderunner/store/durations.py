"""How long each page took when it last ran: what `runner verify --shard` balances shards by.

Kept with the verify cache (`${XDG_CACHE_HOME:-~/.cache}/guiderunner/durations.json`),
beside the record of passes, so that a developer's machine balances its shards without being
given a report; CI machines start empty and get the durations from an earlier report instead
(store.shard.durations_from_report). Only pages that ran to their end are worth recording:
a cached page or a run cut short by `--until` says nothing about the page's length.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import math
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from guiderunner.memo_file import read_memo

FILE = "durations.json"


def load_durations(folder: Path) -> dict[str, float]:
    """The recorded durations in seconds, by page; an unreadable record is an empty one."""
    return {
        page: float(seconds)
        for page, seconds in read_memo(folder / FILE).items()
        if isinstance(seconds, int | float) and math.isfinite(seconds) and seconds > 0
    }


def record_durations(folder: Path, durations: Mapping[str, float]) -> None:
    """Add or replace these pages' durations; other pages' stay. Safe against a parallel run."""
    with _locked(folder) as data:
        for page, seconds in durations.items():
            if math.isfinite(seconds) and seconds > 0:
                data[page] = round(seconds, 3)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[dict[str, Any]]:
    """The record, locked against other runs, written back atomically on the way out."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f".{FILE}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = read_memo(folder / FILE)
        yield data
        temporary = folder / f".{FILE}.{os.getpid()}"
        temporary.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        temporary.replace(folder / FILE)
