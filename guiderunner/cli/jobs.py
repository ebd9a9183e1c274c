"""`runner verify -j N`: verify's pages handed to run/side_by_side.py, results taken back in order.

Carried-over and cached pages are settled first, in the parent; a French page with the same
plan as an English page of this run waits for that page's result and is carried over then.
The rest run in workers; each worker's verdicts and echo are replayed to the real reporters
when its page's turn comes, so the terminal and the reports read as with `-j 1`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from guiderunner.cli.shards import Scale
from guiderunner.model import PageResult, Plan
from guiderunner.run.lifecycle import PageOptions


@dataclass(frozen=True, slots=True)
class Steps:
    """Verify's own handling of one page, handed over as it is."""

    settled: Callable[[Plan], PageResult | None]
    """A carried-over or cached page's result without running it; None: run it."""
    run: Callable[[Plan, PageOptions], PageResult]
    """Run the page with these options."""
    ran: Callable[[Plan, PageResult], None]
    """Remember a page that ran (cache, durations, fingerprint)."""


def verify_pages(
    plans: Sequence[Plan], jobs: int, options: PageOptions, share: Scale, steps: Steps
) -> list[PageResult]:
    """Every page's result, in page order: one after the other, or on `jobs` workers."""
    results: list[PageResult] = []
    if jobs > 1:
        _side_by_side(plans, jobs, options, share, steps, results=results)
        return results
    for plan in plans:
        done = steps.settled(plan)
        if done is None:
            done = steps.run(plan, options)
            steps.ran(plan, done)
        results.append(done)
    return results


def _side_by_side(
    plans: Sequence[Plan],
    jobs: int,
    options: PageOptions,
    share: Scale,
    steps: Steps,
    *,
    results: list[PageResult],
) -> None:
    """Run verify's pages on `jobs` workers; `results` gets every page's result in page order.

    Its modules are imported here: `-j 1` (the default) forks nothing and needs none of them.
    """
    from guiderunner.run.side_by_side import Heard, longest_first, side_by_side
    from guiderunner.store.durations import load_durations

    running = {plan.path for plan in plans}
    entries: list[tuple[Plan, PageResult | None, bool]] = []  # plan, settled result, deferred
    for plan in plans:
        english = share.english_of.get(plan.path)
        same = english in running and share.hashes.get(english or "") == share.hashes.get(plan.path)
        entries.append((plan, None, True) if same else (plan, steps.settled(plan), False))
    to_run = [plan for plan, done, deferred in entries if done is None and not deferred]
    position = 0

    def flush(until: Plan | None) -> None:
        """Hand over the settled and deferred pages before `until` (all of them for None)."""
        nonlocal position
        while position < len(entries) and entries[position][0] is not until:
            plan, done, deferred = entries[position]
            if deferred:
                done = share.carried(plan)
                if done is None:  # its English page is later in the order: run it here
                    done = steps.run(plan, options)
                    steps.ran(plan, done)
                results.append(done)
            elif done is not None:
                results.append(done)
            position += 1

    def work(index: int) -> tuple[PageResult, Heard]:
        heard = Heard()
        seams = replace(options.extensions, listeners=(heard,))
        echo = heard.echo if options.echo is not None else None
        return steps.run(to_run[index], replace(options, extensions=seams, echo=echo)), heard

    def deliver(index: int, outcome: tuple[PageResult, Heard]) -> None:
        nonlocal position
        plan, (result, heard) = to_run[index], outcome
        flush(plan)
        if options.echo is not None:
            for text in heard.echoed:
                options.echo(text)
        for path, verdict in heard.verdicts:
            for listener in options.extensions.listeners:
                listener.step_finished(path, verdict)
        steps.ran(plan, result)
        results.append(result)
        position += 1

    known = load_durations(share.cache) if share.cache is not None else {}
    order = longest_first(len(to_run), [known.get(plan.path) for plan in to_run])
    side_by_side(order, work, jobs, deliver)
    flush(None)
