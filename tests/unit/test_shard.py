"""Shards: disjoint, complete, the same everywhere, balanced; and where K/N comes from."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guiderunner.errors import UsageError
from guiderunner.store.shard import (
    ShardSpec,
    durations_from_report,
    page_weights,
    parse_shard,
    select,
    shard_from,
    split,
)
from tests.conftest import ROOT

pytestmark = pytest.mark.timeout(120)

PAGES = [f"docs/page-{i:02d}.md" for i in range(23)] + ["build/fr/docs/page-00.md"]
DURATIONS = {page: 1.0 + (i * 7919 % 97) / 3 for i, page in enumerate(PAGES[:-4])}


@pytest.mark.parametrize("total", range(1, 8))
def test_shards_are_disjoint_and_complete(total: int):
    shards = split(PAGES, total, DURATIONS)
    assert len(shards) == total
    flat = [page for shard in shards for page in shard]
    assert sorted(flat) == sorted(PAGES)
    assert len(flat) == len(set(flat))


@pytest.mark.parametrize("total", range(1, 8))
def test_each_shard_keeps_the_given_order(total: int):
    for shard in split(PAGES, total, DURATIONS):
        assert list(shard) == [page for page in PAGES if page in shard]


@pytest.mark.parametrize("total", range(1, 8))
def test_the_split_does_not_depend_on_the_order_pages_are_given_in(total: int):
    shuffled = PAGES[:]
    random.Random(total).shuffle(shuffled)
    assert [set(s) for s in split(shuffled, total, DURATIONS)] == [
        set(s) for s in split(PAGES, total, DURATIONS)
    ]


def test_select_names_one_shard_counted_from_one():
    shards = split(PAGES, 3, DURATIONS)
    assert [select(PAGES, ShardSpec(k, 3, "--shard"), DURATIONS) for k in (1, 2, 3)] == list(shards)


def test_another_process_with_another_hash_seed_computes_the_same_split():
    code = (
        "import json, sys; from guiderunner.store.shard import split; "
        "pages, durations = json.load(sys.stdin); "
        "print(json.dumps(split(pages, 4, durations)))"
    )
    outputs = set()
    for seed in ("1", "2", "random"):
        done = subprocess.run(
            [sys.executable, "-c", code],
            input=json.dumps([PAGES, DURATIONS]),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)},
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop()) == [list(s) for s in split(PAGES, 4, DURATIONS)]


def test_the_longest_pages_go_to_different_shards():
    durations = {"a.md": 100.0, "b.md": 90.0, "c.md": 1.0, "d.md": 1.0, "e.md": 1.0}
    shards = split(list(durations), 2, durations)
    assert shards == (("a.md",), ("b.md", "c.md", "d.md", "e.md"))


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.text("abcdefgh/.", min_size=1, max_size=8),
        st.floats(0.001, 600, allow_nan=False),
        min_size=1,
        max_size=60,
    ),
    st.integers(1, 9),
)
def test_greedy_balance_bound_holds(durations: dict[str, float], total: int):
    """Longest-first greedy: no shard exceeds the mean load by more than one page's weight."""
    weights = page_weights(durations, durations)
    shards = split(list(durations), total, durations)
    loads = [sum(weights[p] for p in shard) for shard in shards]
    assert sorted(p for s in shards for p in s) == sorted(durations)
    assert max(loads) <= sum(loads) / total + max(weights.values())


def test_pages_without_history_weigh_the_median():
    weights = page_weights(["a", "b", "c", "new"], {"a": 1.0, "b": 3.0, "c": 10.0})
    assert weights == {"a": 1000, "b": 3000, "c": 10000, "new": 3000}


def test_bad_durations_count_as_no_history():
    weights = page_weights(["a", "b", "c"], {"a": 2.0, "b": float("nan"), "c": -1.0})
    assert weights == {"a": 2000, "b": 2000, "c": 2000}


def test_without_any_history_pages_are_dealt_by_name():
    shards = split(["d", "b", "a", "c"], 2)
    assert shards == (("a", "c"), ("d", "b"))


def test_more_shards_than_pages_leaves_some_empty():
    shards = split(["a.md", "b.md"], 5)
    assert sorted(len(s) for s in shards) == [0, 0, 0, 1, 1]


def test_a_duplicated_page_is_run_once():
    assert sorted(p for s in split(["a", "b", "a"], 2) for p in s) == ["a", "b"]


def test_durations_from_a_report_leave_out_pages_that_did_not_run():
    report = {
        "pages": [
            {"path": "docs/a.md", "duration": 12.5, "cached": False},
            {"path": "docs/b.md", "duration": 0.0, "cached": True, "verified_at": "x"},
            {"path": "fr/a.md", "duration": 0.0, "cached": False, "same_plan_as": "docs/a.md"},
            {"path": "docs/c.md", "duration": "slow"},
            "not a page",
        ]
    }
    assert durations_from_report(report) == {"docs/a.md": 12.5, "fr/a.md": 0.0}


def test_a_carried_over_page_weighs_nothing_and_stays_out_of_the_median():
    weights = page_weights(
        ["a", "b", "c", "fr/a", "new"], {"a": 1.0, "b": 3.0, "c": 9.0, "fr/a": 0}
    )
    assert weights == {"a": 1000, "b": 3000, "c": 9000, "fr/a": 1, "new": 3000}


@pytest.mark.parametrize("total", range(1, 8))
def test_pages_kept_together_land_in_one_shard(total: int):
    english = [p for p in PAGES if p.startswith("docs/")]
    french = [f"build/docs/fr/{p.removeprefix('docs/')}" for p in english]
    together = dict(zip(french, english, strict=True))
    shards = split(english + french, total, DURATIONS, together)
    assert sorted(p for s in shards for p in s) == sorted(set(english + french))
    for shard in shards:
        for fr, en in together.items():
            assert (fr in shard) == (en in shard)


def test_a_group_weighs_the_sum_of_its_pages():
    durations = {"a": 6.0, "fr/a": 6.0, "b": 10.0, "c": 1.0}
    shards = split(["a", "b", "c", "fr/a"], 2, durations, {"fr/a": "a"})
    assert shards == (("a", "fr/a"), ("b", "c"))


# --- where K/N comes from ---------------------------------------------------------------------


def test_the_option_wins_over_the_environment():
    environ = {"TEST_SHARD_INDEX": "0", "TEST_TOTAL_SHARDS": "2", "JOB_COMPLETION_INDEX": "1"}
    assert shard_from("3/4", environ, 5) == ShardSpec(3, 4, "--shard")


def test_bazel_variables_count_from_zero():
    spec = shard_from(None, {"TEST_SHARD_INDEX": "0", "TEST_TOTAL_SHARDS": "3"})
    assert spec == ShardSpec(1, 3, "TEST_SHARD_INDEX/TEST_TOTAL_SHARDS")


def test_bazel_variables_win_over_the_job_index():
    environ = {"TEST_SHARD_INDEX": "2", "TEST_TOTAL_SHARDS": "3", "JOB_COMPLETION_INDEX": "0"}
    assert shard_from(None, environ, 3) == ShardSpec(3, 3, "TEST_SHARD_INDEX/TEST_TOTAL_SHARDS")


def test_job_completion_index_takes_the_total_from_the_settings():
    assert shard_from(None, {"JOB_COMPLETION_INDEX": "3"}, 4) == ShardSpec(
        4, 4, "JOB_COMPLETION_INDEX"
    )


def test_nothing_set_means_every_page():
    assert shard_from(None, {}, 4) is None
    assert shard_from(None, {"TEST_SHARD_INDEX": "", "JOB_COMPLETION_INDEX": ""}, 4) is None


@pytest.mark.parametrize(
    ("option", "environ", "total", "message"),
    [
        ("2", {}, None, "--shard wants K/N (for example 1/4), got '2'"),
        ("0/3", {}, None, "--shard '0/3': K must be between 1 and 3 (it counts from 1)"),
        ("4/3", {}, None, "--shard '4/3': K must be between 1 and 3 (it counts from 1)"),
        ("1/0", {}, None, "--shard '1/0': N must be 1 or more"),
        ("a/3", {}, None, "--shard 'a/3': K must be a whole number, got 'a'"),
        ("1/-2", {}, None, "--shard '1/-2': N must be a whole number, got '-2'"),
        (
            None,
            {"TEST_SHARD_INDEX": "1"},
            None,
            "TEST_SHARD_INDEX is set but TEST_TOTAL_SHARDS is not: set both, or neither",
        ),
        (
            None,
            {"TEST_TOTAL_SHARDS": "3"},
            None,
            "TEST_TOTAL_SHARDS is set but TEST_SHARD_INDEX is not: set both, or neither",
        ),
        (
            None,
            {"TEST_SHARD_INDEX": "3", "TEST_TOTAL_SHARDS": "3"},
            None,
            "TEST_SHARD_INDEX=3 must be below TEST_TOTAL_SHARDS=3 (it counts from 0)",
        ),
        (
            None,
            {"TEST_SHARD_INDEX": "0", "TEST_TOTAL_SHARDS": "0"},
            None,
            "TEST_TOTAL_SHARDS=0 must be 1 or more",
        ),
        (
            None,
            {"TEST_SHARD_INDEX": "one", "TEST_TOTAL_SHARDS": "3"},
            None,
            "TEST_SHARD_INDEX must be a whole number, got 'one'",
        ),
        (
            None,
            {"JOB_COMPLETION_INDEX": "1"},
            None,
            "JOB_COMPLETION_INDEX=1 is set but the shard count is not: set `shards` in the "
            "runner settings (or RUNNER_SHARDS), or pass --shard K/N",
        ),
        (
            None,
            {"JOB_COMPLETION_INDEX": "4"},
            4,
            "JOB_COMPLETION_INDEX=4 must be below the shard count 4 (it counts from 0): "
            "is the Job's `completions` the `shards` setting?",
        ),
    ],
)
def test_bad_values_are_one_clear_usage_error(
    option: str | None, environ: dict[str, str], total: int | None, message: str
):
    with pytest.raises(UsageError) as raised:
        shard_from(option, environ, total)
    assert str(raised.value) == message


def test_parse_shard_accepts_spaces_around():
    assert parse_shard(" 1/1 ") == ShardSpec(1, 1, "--shard")
