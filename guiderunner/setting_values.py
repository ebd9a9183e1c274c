"""Each runner setting's value checked and converted: a bad one is a one-line UsageError.

guiderunner.settings reads mkdocs.yml and the environment; these say what a value may be.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from guiderunner.errors import UsageError

CONFIG_NAME = "mkdocs.yml"


def first_seconds(*sources: tuple[str, object], default: float) -> float:
    """The first value given, checked by `seconds`; a bad one is named by where it came from."""
    for where, value in sources:
        if value is not None:
            try:
                return seconds(value)
            except UsageError as error:
                raise UsageError(f"{where}: {error}") from None
    return default


def seconds(value: object) -> float:
    """A number of seconds given by a person: finite and positive, else a UsageError.

    The one check for every timeout, whether mkdocs.yml, RUNNER_TIMEOUT or `--timeout` gave it.

    >>> seconds("2.5")
    2.5
    >>> for bad in ("nan", "inf", "0", "-5", "soon"):
    ...     try:
    ...         seconds(bad)
    ...     except UsageError as error:
    ...         print(error)
    not a finite number of seconds: 'nan'
    not a finite number of seconds: 'inf'
    seconds must be positive: '0'
    seconds must be positive: '-5'
    not a finite number of seconds: 'soon'
    """
    try:
        number = float(str(value))
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise UsageError(f"not a finite number of seconds: {value!r}")
    if number <= 0:
        raise UsageError(f"seconds must be positive: {value!r}")
    return number


def flag(value: object, key: str, config: Path | None) -> bool:
    """A yes/no setting (`strict_output`): YAML's true or false, nothing else."""
    if value is None or isinstance(value, bool):
        return bool(value)
    raise UsageError(f"{config or CONFIG_NAME}: runner setting `{key}` is {value!r}: true or false")


def text(value: object) -> str | None:
    """An optional text setting (`download`, `repository`): None when absent or empty."""
    return str(value) if value not in (None, "") else None


def count(value: object) -> int | None:
    """The `shards` setting (or RUNNER_SHARDS): a whole number, 1 or more.

    >>> count("4"), count(None)
    (4, None)
    """
    if value is None or value == "":
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or int(text) < 1:
        raise UsageError(f"`shards` (or RUNNER_SHARDS) wants a whole number, 1 or more: {value!r}")
    return int(text)


def strings(value: object) -> dict[str, str]:
    """A mapping of names to texts (`placeholders`, `env`, `tools`)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UsageError(f"expected a mapping, got {value!r}")
    return {str(k): str(v) for k, v in value.items()}


def patterns(value: object, default: tuple[str, ...]) -> tuple[str, ...]:
    """A list of variable names or patterns (`secrets`)."""
    if value is None:
        return default
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"`secrets` wants a list of variable names or patterns, got {value!r}")
    return tuple(value)


def choice(name: str, value: object, choices: tuple[str, ...], config: Path | None) -> str:
    """A setting with a few allowed values, the first being the default.

    >>> choice("untranslated", None, ("warn", "fail"), None)
    'warn'
    """
    if value is None:
        return choices[0]
    if value not in choices:
        raise UsageError(
            f"{config or CONFIG_NAME}: runner setting `{name}` is {value!r}: "
            f"use {' or '.join(choices)}"
        )
    return str(value)


def languages(value: object, config: Path | None) -> tuple[str, ...]:
    """`translations`: language codes such as `fr` or `pt-BR`.

    >>> languages(["fr"], None), languages(None, None)
    (('fr',), ())
    """
    if value is None:
        return ()
    if not isinstance(value, list) or not all(
        isinstance(v, str) and re.fullmatch(r"[a-z]{2,3}(-[A-Za-z]{2,4})?", v) for v in value
    ):
        raise UsageError(
            f"{config or CONFIG_NAME}: runner setting `translations` wants a list of language "
            f"codes such as [fr], got {value!r}"
        )
    return tuple(value)


def mapping(name: str, value: object, config: Path | None) -> dict[str, Any]:
    """A mapping another part reads as it needs (`toolchain`)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UsageError(f"{config or CONFIG_NAME}: runner setting `{name}` wants a mapping")
    return dict(value)
