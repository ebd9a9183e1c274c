"""mkdocs.yml read once per change, not once per run: the parsed YAML kept as JSON beside the cache.

Reading mkdocs.yml costs PyYAML's import and its pure-Python parser, 10 to 20 ms of every
`runner verify`, for a file that rarely changes. What settings.load_yaml returns is a function
of the text alone (tags are read as plain values), so the result is kept with the text's
digest, one file per configuration file, and used while the digest matches. Only plain JSON
values are kept (a date, a set or a non-string key would not come back the same): a file
holding one is parsed each time, as are files with errors, whose message must name the line.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from guiderunner.digests import sha256
from guiderunner.memo_file import read_memo, write_memo


def remembered(text: str, source: str, folder: Path | None, load: Callable[[str, str], Any]) -> Any:
    """`load(text, source)`, or what it gave last time for this very text of `source`."""
    if folder is None:
        return load(text, source)
    digest = sha256(text.encode()).hexdigest()
    name = sha256(str(Path(source).resolve()).encode()).hexdigest()[:32]
    memo = folder / f"config-{name}.json"
    kept = read_memo(memo)
    if kept.get("sha256") == digest and "data" in kept:
        return kept["data"]
    data = load(text, source)
    if _plain(data):
        write_memo(memo, {"sha256": digest, "data": data})
    return data


def _plain(value: object) -> bool:
    """Whether JSON gives `value` back equal and of the same types.

    >>> _plain({"a": [1, 2.5, None, True, "x"]}), _plain({1: "a"}), _plain({"d": {1, 2}})
    (True, False, False)
    """
    if value is None or isinstance(value, str | bool | int | float):
        return not (isinstance(value, float) and math.isnan(value))  # NaN: not equal to itself
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False
