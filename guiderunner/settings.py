"""Frozen settings: the `runner` entry of mkdocs.yml, then the environment, then the command line.

The runner's settings live with the site's configuration, under the `runner` plugin, so there
is one place to look:

    plugins:
      - runner:
          sample: sample-solution
          timeout: 120
          placeholders: {myorg: stockkube}
          builder: buildkit     # or legacy; RUNNER_BUILDER, then `--builder`, override it
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from guiderunner.errors import UsageError, not_utf8

CONFIG_NAME = "mkdocs.yml"
DEFAULT_TIMEOUT = 120.0
DEFAULT_READY_TIMEOUT = 60.0
KNOWN_KEYS = frozenset(
    {
        "sample",
        "timeout",
        "ready_timeout",
        "placeholders",
        "env",
        "fuzzy",
        "secrets",
        "builder",
        "shards",
        "strict_output",
        "platform_tabs",
        "download",
        "repository",
    }
)
DEFAULT_SECRETS = ("*_TOKEN", "*_PASSWORD", "*_SECRET", "*_KEY")
Builder = Literal["buildkit", "legacy"]
"""How a page's `docker build` builds: BuildKit (what readers have since Docker 23) or legacy."""
BUILDERS: tuple[Builder, ...] = ("buildkit", "legacy")
DEFAULT_BUILDER: Builder = "buildkit"
BUILDER_VARIABLE = "RUNNER_BUILDER"
FUZZY_POLICIES = ("fail", "notice")
"""`fuzzy:` setting: `runner i18n check` fails on fuzzy messages, or lists them and passes
(the site then publishes them in English under a notice); the first is the default."""


def placeholder_variable(name: str) -> str:
    """The environment variable that overrides a placeholder.

    >>> placeholder_variable("internal-registry:5000")
    'RUNNER_PLACEHOLDER_INTERNAL_REGISTRY_5000'
    """
    return "RUNNER_PLACEHOLDER_" + re.sub(r"[^A-Za-z0-9]", "_", name).upper()


class Placeholders(Mapping[str, str]):
    """Placeholder values: the command line, else the environment, else mkdocs.yml."""

    def __init__(
        self, configured: Mapping[str, str], environ: Mapping[str, str], given: Mapping[str, str]
    ) -> None:
        self._configured = dict(configured)
        self._environ = environ
        self._given = dict(given)

    def __getitem__(self, name: str) -> str:
        if name in self._given:
            return self._given[name]
        variable = placeholder_variable(name)
        if variable in self._environ:
            return self._environ[variable]
        return self._configured[name]

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        return (
            name in self._given
            or placeholder_variable(name) in self._environ
            or name in self._configured
        )

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._configured, *self._given]))

    def __len__(self) -> int:
        return len(list(iter(self)))


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run needs to know, resolved once."""

    root: Path
    """The folder of mkdocs.yml (or the current folder): relative paths start here."""
    docs_dir: Path
    """Where the English pages are."""
    sample: Path | None
    """The sample solution copied into each page's workspace."""
    timeout: float = DEFAULT_TIMEOUT
    """Default seconds per command."""
    ready_timeout: float = DEFAULT_READY_TIMEOUT
    """Default seconds for a service to become ready."""
    placeholders: Mapping[str, str] = field(default_factory=dict)
    """Values for `<name>` placeholders."""
    env: Mapping[str, str] = field(default_factory=dict)
    """Variables set in every page's shell."""
    environ: Mapping[str, str] = field(default_factory=dict)
    """The runner's own environment (for `unless=VAR` and placeholder overrides)."""
    secrets: tuple[str, ...] = DEFAULT_SECRETS
    """Name patterns of the variables whose values are masked in everything shown."""
    builder: Builder = DEFAULT_BUILDER
    """The Docker builder every page's `docker build` uses (guiderunner.run.docker.builder)."""
    fuzzy: str = FUZZY_POLICIES[0]
    """What a fuzzy translation means: `fail` the check, or publish it with a `notice`."""
    shards: int | None = None
    """How many shards an Indexed Job runs: `JOB_COMPLETION_INDEX` gives only the index."""
    strict_output: bool = False
    """A command with no expected output must print nothing (cram's reading), not anything."""
    platform_tabs: Mapping[str, str] = field(default_factory=dict)
    """Content tab titles -> the platform (linux, macos, windows) they are for."""
    download: str | None = None
    """The sample's archive on the site, `downloads/<download>.zip` (guiderunner.site.sample)."""
    repository: str | None = None
    """The guide's repository URL, which a page may show (`runner:repository`)."""


def find_config(start: Path) -> Path | None:
    """mkdocs.yml in `start` or the nearest folder above it."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_settings(
    config: Path | None,
    *,
    environ: Mapping[str, str] | None = None,
    sample: str | None = None,
    timeout: str | float | None = None,
    given: Mapping[str, str] | None = None,
    builder: str | None = None,
) -> Settings:
    """Resolve the settings: mkdocs.yml < environment (RUNNER_*) < arguments."""
    env = dict(os.environ if environ is None else environ)
    entry, docs = _runner_entry(config) if config is not None else ({}, "docs")
    root = config.parent if config is not None else Path.cwd()
    chosen_sample = sample or env.get("RUNNER_SAMPLE") or entry.get("sample")
    return Settings(
        root=root,
        docs_dir=root / docs,
        sample=(root / str(chosen_sample)) if chosen_sample else None,
        timeout=_first_seconds(
            ("--timeout", timeout),
            ("RUNNER_TIMEOUT", env.get("RUNNER_TIMEOUT") or None),
            (f"{config}: timeout", entry.get("timeout")),
            default=DEFAULT_TIMEOUT,
        ),
        ready_timeout=_first_seconds(
            (f"{config}: ready_timeout", entry.get("ready_timeout")), default=DEFAULT_READY_TIMEOUT
        ),
        placeholders=Placeholders(_strings(entry.get("placeholders")), env, given or {}),
        env=_strings(entry.get("env")),
        environ=env,
        secrets=_patterns(entry.get("secrets"), DEFAULT_SECRETS),
        builder=_builder(builder, env, entry, config),
        shards=_count(env.get("RUNNER_SHARDS") or entry.get("shards")),
        fuzzy=_fuzzy(entry.get("fuzzy"), config),
        strict_output=_flag(entry.get("strict_output"), "strict_output", config),
        platform_tabs=_strings(entry.get("platform_tabs")),
        download=_text(entry.get("download")),
        repository=_text(entry.get("repository")),
    )


def _flag(value: object, key: str, config: Path | None) -> bool:
    """A yes/no setting: YAML's true or false, nothing else."""
    if value is None or isinstance(value, bool):
        return bool(value)
    raise UsageError(f"{config or CONFIG_NAME}: runner setting `{key}` is {value!r}: true or false")


def _text(value: object) -> str | None:
    """An optional text setting: None when absent or empty."""
    return str(value) if value not in (None, "") else None


def _builder(
    given: str | None, env: Mapping[str, str], entry: Mapping[str, Any], config: Path | None
) -> Builder:
    """The builder: `--builder`, else RUNNER_BUILDER, else mkdocs.yml, else BuildKit.

    A bad value is a UsageError naming where it came from.

    >>> _builder(None, {"RUNNER_BUILDER": "legacy"}, {"builder": "buildkit"}, None)
    'legacy'
    >>> _builder("buildx", {}, {}, None)
    Traceback (most recent call last):
    guiderunner.errors.UsageError: --builder: unknown builder 'buildx' (buildkit or legacy)
    """
    for value, source in (
        (given, "--builder"),
        (env.get(BUILDER_VARIABLE), BUILDER_VARIABLE),
        (entry.get("builder"), f"{config or CONFIG_NAME}: runner setting builder"),
    ):
        if value is None or value == "":
            continue
        if value not in BUILDERS:
            choices = " or ".join(BUILDERS)
            raise UsageError(f"{source}: unknown builder {value!r} ({choices})")
        return cast(Builder, value)
    return DEFAULT_BUILDER


def _runner_entry(config: Path) -> tuple[dict[str, Any], str]:
    try:
        data = load_yaml(config.read_text(encoding="utf-8"), str(config))
    except OSError as error:
        raise UsageError(f"cannot read {config}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise UsageError(f"{config}: {not_utf8(config.read_bytes(), error)}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{config}: not a mapping")
    entry: dict[str, Any] = {}
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and "runner" in plugin:
            entry = plugin["runner"] or {}
    unknown = set(entry) - KNOWN_KEYS
    if unknown:
        raise UsageError(f"{config}: unknown runner setting(s): {', '.join(sorted(unknown))}")
    return entry, str(data.get("docs_dir", "docs"))


def load_yaml(text: str, source: str = CONFIG_NAME) -> Any:
    """Read mkdocs.yml, tolerating its Python tags (`!!python/name:`, `!ENV`) as plain values.

    `source` names the file in the error: the file actually given, not always mkdocs.yml.
    """
    import yaml  # only `verify` with a config file pays for it

    class Loader(yaml.SafeLoader):
        pass

    def any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_mapping(node)  # type: ignore[arg-type]

    Loader.add_multi_constructor("", any_tag)
    try:
        return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        raise UsageError(f"{where}: invalid YAML: {error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise UsageError(f"{source}: invalid YAML: {error}") from None


def _first_seconds(*sources: tuple[str, object], default: float) -> float:
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


def _count(value: object) -> int | None:
    """The `shards` setting (or RUNNER_SHARDS): a whole number, 1 or more.

    >>> _count("4"), _count(None)
    (4, None)
    """
    if value is None or value == "":
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or int(text) < 1:
        raise UsageError(f"`shards` (or RUNNER_SHARDS) wants a whole number, 1 or more: {value!r}")
    return int(text)


def _strings(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UsageError(f"expected a mapping, got {value!r}")
    return {str(k): str(v) for k, v in value.items()}


def _patterns(value: object, default: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return default
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"`secrets` wants a list of variable names or patterns, got {value!r}")
    return tuple(value)


def _fuzzy(value: object, config: Path | None) -> str:
    if value is None:
        return FUZZY_POLICIES[0]
    if value not in FUZZY_POLICIES:
        raise UsageError(
            f"{config or CONFIG_NAME}: runner setting `fuzzy` is {value!r}: "
            f"use {' or '.join(FUZZY_POLICIES)}"
        )
    return str(value)
