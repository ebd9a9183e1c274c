"""`runner verify --shard K/N --durations REPORT.json`, and French pages that cost nothing.

The pieces live in the store (store.shard: which pages a shard runs; store.durations:
how long each page took); this module wires them into `runner verify`:

- the pages are split *after* planning, so a bad page stops every shard alike (exit 2);
- a French page goes to its English page's shard (`together`), and when its plan equals the
  English plan (same content hash, which leaves out paths and line numbers) it takes the
  English verdicts instead of running: its result says `same_plan_as`;
- a page that ran to its end (it passed, or `--keep-going` ran every step) leaves its
  duration beside the verify cache, for the next split; but not in a sharded run: the shards
  of one run must all split by the same durations, and a shard that finished first would
  otherwise change them for the others (its report carries its durations: `--durations`).
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from guiderunner.errors import UsageError
from guiderunner.model import PageResult, Plan
from guiderunner.settings import Settings


def arguments(parser: argparse.ArgumentParser) -> None:
    """`--shard K/N` and `--durations REPORT.json`."""
    parser.add_argument(
        "--shard",
        metavar="K/N",
        help="run shard K of N (from 1); default: TEST_SHARD_INDEX/TEST_TOTAL_SHARDS, "
        "or JOB_COMPLETION_INDEX with the `shards` setting",
    )
    parser.add_argument(
        "--durations",
        type=Path,
        metavar="REPORT.json",
        help="balance the shards by the page durations of this report (default: this machine's)",
    )


@dataclass(slots=True)
class Scale:
    """A verify run's shard, its French-English pairs, and what the run has learnt so far."""

    plans: list[Plan]
    """The plans this machine runs, in their usual order."""
    hashes: Mapping[str, str]
    """Each page's content hash (no path in it)."""
    english_of: Mapping[str, str]
    """French page -> its English page (`--lang all` only)."""
    cache: Path | None
    """Where durations are recorded; None in a sharded run."""
    done: dict[str, PageResult] = field(default_factory=dict)
    """Results so far, by page."""

    def carried(self, plan: Plan) -> PageResult | None:
        """The English page's verdicts for a French page with the same plan, or None: run it."""
        english = self.english_of.get(plan.path)
        result = self.done.get(english) if english is not None else None
        if result is None or self.hashes.get(plan.path) != self.hashes.get(result.path):
            return None
        carried = carry_over(plan, result)
        self.done[plan.path] = carried
        state = "cached" if carried.cached else ("passed" if carried.passed else "failed")
        print(f"carried over: {plan.path} (same plan as {result.path}, {state})")
        return carried

    def ran(self, result: PageResult, *, to_the_end: bool) -> None:
        """Remember a page's result; record its duration when it says how long the page takes."""
        from guiderunner.store.durations import record_durations

        self.done[result.path] = result
        if self.cache is None or not to_the_end:
            return
        if result.cached is None and result.same_plan_as is None:
            record_durations(self.cache, {result.path: result.duration})


def scale(args: argparse.Namespace, plans: Sequence[Plan], settings: Settings) -> Scale:
    """This machine's share of the planned pages, and their French-English pairs."""
    from guiderunner.store import cache, shard

    hashes = cache.content_hashes(plans, settings.sample, settings.env)
    english_of = pairs(args.lang, plans)
    spec = shard.shard_from(args.shard, os.environ, settings.shards)
    folder = cache.cache_dir(os.environ)
    if spec is None:
        return Scale(list(plans), hashes, english_of, folder)
    durations = _durations(args.durations, folder)
    names = set(shard.select([p.path for p in plans], spec, durations, english_of))
    chosen = [p for p in plans if p.path in names]
    print(f"shard {spec} ({spec.source}): {len(chosen)} of {len(plans)} pages")
    return Scale(chosen, hashes, english_of, None)


def pairs(lang: str, plans: Sequence[Plan]) -> dict[str, str]:
    """French page -> English page, for `--lang all`.

    That run plans the English pages, then the French ones built from them, in the same order
    (guiderunner.cli.pages.chosen): the second half pairs with the first.
    """
    if lang != "all":
        return {}
    half = len(plans) // 2
    return {fr.path: en.path for en, fr in zip(plans[:half], plans[half:], strict=True)}


def carry_over(plan: Plan, english: PageResult) -> PageResult:
    """The English verdicts on the French page's own steps (so reports name its lines), in 0 s."""
    verdicts = tuple(
        replace(verdict, observation=replace(verdict.observation, step=step))
        for verdict, step in zip(english.verdicts, plan.steps, strict=False)
    )
    return PageResult(plan.path, verdicts, 0.0, cached=english.cached, same_plan_as=english.path)


def _durations(report: Path | None, folder: Path) -> dict[str, float]:
    from guiderunner.store.durations import load_durations
    from guiderunner.store.shard import durations_from_report

    if report is None:
        return load_durations(folder)
    try:
        document = json.loads(report.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no such report: {report}") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise UsageError(f"cannot read the durations report {report}: {error}") from None
    if not isinstance(document, dict):
        raise UsageError(f"{report}: not a runner JSON report")
    return durations_from_report(document)
