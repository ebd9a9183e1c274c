"""Frozen settings: the `runner` entry of mkdocs.yml, then the environment, then the command line.

The runner's settings live with the site's configuration, under the `runner` plugin, so there
is one place to look:

    plugins:
      - runner:
          sample: samples/app     # copied into each page's workspace (default: an empty one)
          timeout: 120
          placeholders: {myorg: acme}
          builder: buildkit       # or legacy; RUNNER_BUILDER, then `--builder`, override it
          translations: [fr]      # default: none, one language
          untranslated: warn      # a page not translated yet: warn (default) or fail
          tools: {docker: Docker} # what the badge names, when a page ran it
          toolchain: {...}        # `runner toolchain`: see guiderunner.toolchain.config

Every default fits any repository: an empty workspace, one language, no toolchain.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from guiderunner.config_memo import remembered
from guiderunner.errors import UsageError, not_utf8
from guiderunner.setting_values import (
    choice,
    count,
    first_seconds,
    flag,
    languages,
    mapping,
    patterns,
    strings,
)
from guiderunner.setting_values import text as optional_text

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
        "translations",
        "untranslated",
        "tools",
        "toolchain",
        "external_fonts",
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
UNTRANSLATED_POLICIES = ("warn", "fail")
"""`untranslated:` setting: a page with no translation yet is a warning (default) or fails."""
DEFAULT_TOOLS: Mapping[str, str] = {"docker": "Docker"}
"""Report key -> name on the badge, of the tools a badge may name (when a page ran them)."""
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
    translations: tuple[str, ...] = ()
    """The languages the pages are translated into (translations/<code>/); none by default."""
    untranslated: str = UNTRANSLATED_POLICIES[0]
    """What a page with no translation yet means to `runner i18n check`: `warn` or `fail`."""
    tools: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_TOOLS))
    """The tools a badge may name (report key -> shown name), each only on pages that ran it."""
    toolchain: Mapping[str, Any] = field(default_factory=dict)
    """`runner toolchain`'s configuration (guiderunner.toolchain.config); empty: none."""
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
    memo: Path | None = None,
) -> Settings:
    """Resolve the settings: mkdocs.yml (parsed once per text: `memo`) < RUNNER_* < arguments."""
    env = dict(os.environ if environ is None else environ)
    entry, docs = _runner_entry(config, memo) if config is not None else ({}, "docs")
    root = config.parent if config is not None else Path.cwd()
    chosen_sample = sample or env.get("RUNNER_SAMPLE") or entry.get("sample")
    return Settings(
        root=root,
        docs_dir=root / docs,
        sample=(root / str(chosen_sample)) if chosen_sample else None,
        timeout=first_seconds(
            ("--timeout", timeout),
            ("RUNNER_TIMEOUT", env.get("RUNNER_TIMEOUT") or None),
            (f"{config}: timeout", entry.get("timeout")),
            default=DEFAULT_TIMEOUT,
        ),
        ready_timeout=first_seconds(
            (f"{config}: ready_timeout", entry.get("ready_timeout")), default=DEFAULT_READY_TIMEOUT
        ),
        placeholders=Placeholders(strings(entry.get("placeholders")), env, given or {}),
        env=strings(entry.get("env")),
        environ=env,
        secrets=patterns(entry.get("secrets"), DEFAULT_SECRETS),
        builder=_builder(builder, env, entry, config),
        shards=count(env.get("RUNNER_SHARDS") or entry.get("shards")),
        fuzzy=choice("fuzzy", entry.get("fuzzy"), FUZZY_POLICIES, config),
        translations=languages(entry.get("translations"), config),
        untranslated=choice(
            "untranslated", entry.get("untranslated"), UNTRANSLATED_POLICIES, config
        ),
        tools=strings(entry["tools"]) if entry.get("tools") is not None else dict(DEFAULT_TOOLS),
        toolchain=mapping("toolchain", entry.get("toolchain"), config),
        strict_output=flag(entry.get("strict_output"), "strict_output", config),
        platform_tabs=strings(entry.get("platform_tabs")),
        download=optional_text(entry.get("download")),
        repository=optional_text(entry.get("repository")),
    )


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


def _runner_entry(config: Path, memo: Path | None) -> tuple[dict[str, Any], str]:
    try:
        data = remembered(config.read_text(encoding="utf-8"), str(config), memo, load_yaml)
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
