"""Claims on names and ports: one live holder, waits end on release, dead holders taken over."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from guiderunner.run.docker.claims import Claims, Refused
from guiderunner.run.docker.scope import REFUSED_BUILD_PRUNE, scoped
from guiderunner.run.side_by_side import side_by_side


def claims(folder: Path, session: str, *, wait: float = 5.0, reclaimed=None) -> Claims:
    def reclaim(path: Path) -> None:
        if reclaimed is not None:
            reclaimed.append(path)

    return Claims(folder, "unix:///e", session, f"/r/{session}", reclaim, wait=wait)


def test_a_second_run_waits_until_the_first_lets_go(tmp_path: Path) -> None:
    first, second = claims(tmp_path, "a"), claims(tmp_path, "b")
    first.claim(["container name web"])
    got = threading.Event()
    thread = threading.Thread(target=lambda: (second.claim(["container name web"]), got.set()))
    thread.start()
    time.sleep(0.5)
    assert not got.is_set(), "two runs held one name at once"
    first.release()
    thread.join(timeout=5)
    assert got.is_set()
    first.claim(["container name other"])  # other names are free meanwhile


def test_the_same_run_claims_again_freely_and_a_wait_has_an_end(tmp_path: Path) -> None:
    first, second = claims(tmp_path, "a"), claims(tmp_path, "b", wait=0.5)
    first.claim(["host port 8080/tcp", "host port 8080/tcp"])
    first.claim(["host port 8080/tcp"])
    with pytest.raises(Refused, match="host port 8080/tcp is still held"):
        second.claim(["host port 8080/tcp"])


def test_a_dead_holder_is_taken_over_after_its_objects_are_removed(tmp_path: Path) -> None:
    holder = claims(tmp_path, "dead")
    holder.claim(["volume data"])
    for path in tmp_path.glob("*.json"):
        data = json.loads(path.read_text())
        path.write_text(json.dumps(data | {"pid": 999_999_999}))
    reclaimed: list[Path] = []
    claims(tmp_path, "alive", reclaimed=reclaimed).claim(["volume data"])
    assert reclaimed == [Path("/r/dead")]


def test_two_runs_waiting_for_each_other_one_is_refused_at_once(tmp_path: Path) -> None:
    a, b = claims(tmp_path, "a", wait=30), claims(tmp_path, "b", wait=30)
    a.claim(["x"])
    b.claim(["y"])
    thread = threading.Thread(target=lambda: a.claim(["y"]), daemon=True)
    thread.start()
    time.sleep(0.5)
    started = time.monotonic()
    with pytest.raises(Refused, match="waits for a name this run holds"):
        b.claim(["x"])
    assert time.monotonic() - started < 5
    b.release()
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_a_stopped_run_stops_waiting(tmp_path: Path) -> None:
    first, second = claims(tmp_path, "a"), claims(tmp_path, "b", wait=30)
    first.claim(["k"])
    threading.Timer(0.3, second.stop).start()
    with pytest.raises(Refused, match="run ended"):
        second.claim(["k"])


@pytest.mark.parametrize("path", ["/v1.41/build/prune", "/build/prune"])
def test_the_build_cache_prune_is_refused(path: str) -> None:
    with pytest.raises(Refused, match="may not prune the build cache") as refused:
        scoped("POST", path + "?all=1", "s")
    assert refused.value.status == 403
    assert str(refused.value) == REFUSED_BUILD_PRUNE


def test_side_by_side_delivers_in_order_and_raises_a_workers_error() -> None:
    delivered: list[tuple[int, int]] = []
    side_by_side([2, 0, 1], lambda i: i * 10, 2, lambda i, r: delivered.append((i, r)))
    assert delivered == [(0, 0), (1, 10), (2, 20)]

    def work(i: int) -> int:
        if i == 1:
            raise ValueError("page 1 broke")
        return i

    with pytest.raises(ValueError, match="page 1 broke"):
        side_by_side([0, 1], work, 2, lambda i, r: None)


def test_reset_drops_the_claims_of_dead_runs_only(tmp_path: Path) -> None:
    from guiderunner.run.docker.claims import drop_dead

    alive, dead = claims(tmp_path, "alive"), claims(tmp_path, "dead")
    alive.claim(["a"])
    dead.claim(["b"])
    path = dead._path("b")
    path.write_text(json.dumps(json.loads(path.read_text()) | {"pid": 999_999_999}))
    assert drop_dead(tmp_path) == 1
    assert alive._path("a").exists()
    assert not path.exists()
