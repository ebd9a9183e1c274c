"""Which pages this machine runs: N disjoint shards, balanced by the durations of earlier runs.

CI systems already number their parallel jobs, so the runner reads their numbers instead of
inventing its own, in this order:

1. `runner verify --shard K/N`, counted from 1, as Playwright's `--shard=K/N`;
2. Bazel's `TEST_SHARD_INDEX` and `TEST_TOTAL_SHARDS`, the index counted from 0;
3. a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX` (from 0), with the total from the
   settings (a Job's pods are not told how many completions there are).

The split is a pure function of the page names, the shard count and the durations, so that
every machine, given the same inputs, computes the same shards without talking to the others:
the longest page first goes to the least loaded shard (greedy longest-processing-time), ties
broken by name and then by shard number. Durations are whole milliseconds, so no floating-point
sum can differ between machines. A page with no history counts as the median of the others.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from guiderunner.errors import UsageError

DEFAULT_WEIGHT_MS = 1000
"""What a page weighs when no page has a history: all pages alike."""
INDEX_VARIABLE = "TEST_SHARD_INDEX"
TOTAL_VARIABLE = "TEST_TOTAL_SHARDS"
JOB_VARIABLE = "JOB_COMPLETION_INDEX"


@dataclass(frozen=True, slots=True)
class ShardSpec:
    """One shard out of N, as the user or the CI system named it."""

    index: int
    """Which shard, counted from 1 (1 <= index <= total)."""
    total: int
    """How many shards there are."""
    source: str
    """Where the numbers came from (`--shard`, `TEST_SHARD_INDEX`...), for messages."""

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"


# --- reading the shard -------------------------------------------------------------------------


def parse_shard(text: str, source: str = "--shard") -> ShardSpec:
    """`K/N` with 1 <= K <= N, as `--shard` takes it.

    >>> parse_shard("2/3")
    ShardSpec(index=2, total=3, source='--shard')
    """
    index_text, slash, total_text = text.strip().partition("/")
    if not slash:
        raise UsageError(f"{source} wants K/N (for example 1/4), got {text!r}")
    index = _whole(index_text, f"{source} {text!r}: K")
    total = _whole(total_text, f"{source} {text!r}: N")
    if total < 1:
        raise UsageError(f"{source} {text!r}: N must be 1 or more")
    if not 1 <= index <= total:
        raise UsageError(f"{source} {text!r}: K must be between 1 and {total} (it counts from 1)")
    return ShardSpec(index, total, source)


def shard_from(
    option: str | None, environ: Mapping[str, str], configured_total: int | None = None
) -> ShardSpec | None:
    """The shard to run, or None to run every page.

    `option` is the `--shard` value; `configured_total` the shard count from the settings,
    used with `JOB_COMPLETION_INDEX` only. An empty variable counts as unset.
    """
    if option is not None:
        return parse_shard(option)
    index_text, total_text = environ.get(INDEX_VARIABLE), environ.get(TOTAL_VARIABLE)
    if index_text or total_text:
        return _bazel(index_text, total_text)
    job_text = environ.get(JOB_VARIABLE)
    if job_text:
        return _indexed_job(job_text, configured_total)
    return None


def _bazel(index_text: str | None, total_text: str | None) -> ShardSpec:
    if not index_text or not total_text:
        present, missing = (
            (INDEX_VARIABLE, TOTAL_VARIABLE) if index_text else (TOTAL_VARIABLE, INDEX_VARIABLE)
        )
        raise UsageError(f"{present} is set but {missing} is not: set both, or neither")
    total = _whole(total_text, TOTAL_VARIABLE)
    index = _whole(index_text, INDEX_VARIABLE)
    if total < 1:
        raise UsageError(f"{TOTAL_VARIABLE}={total_text} must be 1 or more")
    if index >= total:
        raise UsageError(
            f"{INDEX_VARIABLE}={index_text} must be below {TOTAL_VARIABLE}={total_text} "
            "(it counts from 0)"
        )
    return ShardSpec(index + 1, total, f"{INDEX_VARIABLE}/{TOTAL_VARIABLE}")


def _indexed_job(job_text: str, configured_total: int | None) -> ShardSpec:
    index = _whole(job_text, JOB_VARIABLE)
    if configured_total is None:
        raise UsageError(
            f"{JOB_VARIABLE}={job_text} is set but the shard count is not: "
            "set `shards` in the runner settings (or RUNNER_SHARDS), or pass --shard K/N"
        )
    if configured_total < 1:
        raise UsageError(
            f"the shard count in the settings must be 1 or more, not {configured_total}"
        )
    if index >= configured_total:
        raise UsageError(
            f"{JOB_VARIABLE}={job_text} must be below the shard count {configured_total} "
            "(it counts from 0): is the Job's `completions` the `shards` setting?"
        )
    return ShardSpec(index + 1, configured_total, JOB_VARIABLE)


def _whole(text: str, what: str) -> int:
    stripped = text.strip()
    if not stripped.isdigit() or not stripped.isascii():
        raise UsageError(f"{what} must be a whole number, got {text!r}")
    return int(stripped)


# --- splitting ---------------------------------------------------------------------------------


def split(
    pages: Sequence[str],
    total: int,
    durations: Mapping[str, float] | None = None,
    together: Mapping[str, str] | None = None,
) -> tuple[tuple[str, ...], ...]:
    """All `total` shards: disjoint, their union is `pages`, each in the order of `pages`.

    `together` maps a page to a group name: the pages of a group go to the same shard, so
    that a French page whose plan is its English page's can take that page's verdict (map
    both to the English page). A duplicated page is kept once (its first place). Shards may be
    empty when there are fewer pages (groups) than shards.
    """
    if total < 1:
        raise ValueError(f"shard count must be 1 or more, not {total}")
    unique = list(dict.fromkeys(pages))
    weights = page_weights(unique, durations or {})
    group_of = {page: (together or {}).get(page, page) for page in unique}
    group_weights: dict[str, int] = {}
    for page in unique:
        group_weights[group_of[page]] = group_weights.get(group_of[page], 0) + weights[page]
    loads = [0] * total
    chosen: dict[str, int] = {}
    for group in sorted(group_weights, key=lambda g: (-group_weights[g], g)):
        lightest = min(range(total), key=lambda s: (loads[s], s))
        loads[lightest] += group_weights[group]
        chosen[group] = lightest
    return tuple(tuple(p for p in unique if chosen[group_of[p]] == shard) for shard in range(total))


def select(
    pages: Sequence[str],
    spec: ShardSpec,
    durations: Mapping[str, float] | None = None,
    together: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    """The pages of shard `spec`, in the order of `pages`."""
    return split(pages, spec.total, durations, together)[spec.index - 1]


def page_weights(pages: Iterable[str], durations: Mapping[str, float]) -> dict[str, int]:
    """Each page's expected duration in whole milliseconds; the median for pages with none.

    A duration that is not a finite number of seconds, 0 or more, counts as no history. A
    page recorded at 0 s (its verdict carried over from another page) weighs 1 ms, and stays
    out of the median: the median is that of the pages that ran.
    """
    known = {p: _millis(durations[p]) for p in pages if _valid(durations.get(p))}
    ran = sorted(w for p, w in known.items() if durations[p] > 0)
    fallback = _median_low(ran) if ran else DEFAULT_WEIGHT_MS
    return {p: known.get(p, fallback) for p in pages}


def _median_low(values: list[int]) -> int:
    """statistics.median_low, imported here: planning a run without shards does not need it."""
    import statistics

    return statistics.median_low(values)


def _valid(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and math.isfinite(value) and value >= 0


def _millis(seconds: float) -> int:
    # At least 1 ms, so that a page with a recorded 0.0 s (cached) still counts as a page.
    return max(1, round(seconds * 1000))


def durations_from_report(document: Mapping[str, Any]) -> dict[str, float]:
    """Each page's duration from a JSON report (`runner verify --json`, or a merged one).

    A cached page did not run, so its 0 s says nothing: it is left out, and counts as the
    median. A page whose verdict was carried over from its English page (`same_plan_as`) costs
    nothing as long as its plan stays the same: it is kept at 0 s.
    """
    found: dict[str, float] = {}
    for entry in document.get("pages") or []:
        if not isinstance(entry, dict) or entry.get("cached"):
            continue
        path, duration = entry.get("path"), entry.get("duration")
        if not isinstance(path, str):
            continue
        if entry.get("same_plan_as"):
            found[path] = 0.0
        elif _valid(duration) and duration > 0:
            found[path] = float(duration)
    return found
