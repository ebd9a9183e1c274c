"""`runner verify -j 2` against `-j 1` over small Docker pages, and the cost of claims.

    python bench/jobs.py [--pages 4] [--rounds 1]

Each page runs a named container for 2 s, makes a named volume and a tag, and checks them;
the pages are written into a temporary folder with a private XDG state and cache. Prints the
wall time of each `-j`, best of the rounds, and the time one claim and its release take.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guiderunner.run.docker.claims import Claims  # noqa: E402
from guiderunner.toolchain.images import BASE_TAG  # noqa: E402


def page(name: str) -> str:
    """A small Docker page that names what it makes."""
    return f"""# {name}

```console
$ docker run --rm --name {name} {BASE_TAG} sh -c 'sleep 2; echo done'
done
$ docker volume create {name}-vol
{name}-vol
$ docker tag {BASE_TAG} {name}:1 && docker image inspect --format ok {name}:1
ok
```
"""


def verify(folder: Path, pages: list[Path], jobs: int) -> float:
    """Wall seconds of one `runner verify --no-cache -j JOBS` over the pages."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env |= {"XDG_STATE_HOME": str(folder / "state"), "XDG_CACHE_HOME": str(folder / "cache")}
    command = [sys.executable, "-m", "guiderunner", "verify", "--no-cache", "-j", str(jobs)]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, *map(str, pages)], env=env, capture_output=True, text=True, check=False
    )
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"-j {jobs} failed:\n{done.stdout}{done.stderr}")
    return took


def claim_cost(folder: Path, count: int = 200) -> float:
    """Milliseconds per claim and release of a free key."""
    claims = Claims(folder / "claims", "unix:///bench", "s", str(folder / "r"), lambda _: None)
    started = time.perf_counter()
    claims.claim(f"container name c{i}" for i in range(count))
    claims.release()
    return (time.perf_counter() - started) * 1000 / count


def main() -> None:
    """Write the pages, time each `-j`, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as tmp:
        folder = Path(tmp)
        tag = uuid.uuid4().hex[:6]
        pages = []
        for number in range(args.pages):
            path = folder / f"page{number}.md"
            path.write_text(page(f"bench-{tag}-{number}"), encoding="utf-8")
            pages.append(path)
        best = {
            jobs: min(verify(folder, pages, jobs) for _ in range(args.rounds)) for jobs in (1, 2)
        }
        print(f"{args.pages} pages: -j 1 {best[1]:.1f} s, -j 2 {best[2]:.1f} s")
        print(f"speed-up {best[1] / best[2]:.2f}x; one claim + release {claim_cost(folder):.3f} ms")


if __name__ == "__main__":
    main()
