"""Which base images a page uses: its Dockerfiles' FROM lines and its `docker run` commands."""

from __future__ import annotations

from pathlib import Path

from guiderunner.parse import parse_guide
from guiderunner.plan import PlanSettings, plan_guide
from guiderunner.run.docker.images_used import images_used

PAGE = """# Images

```dockerfile title="src/Api/Dockerfile"
# syntax=docker/dockerfile:1
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN dotnet publish -o /app
FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/aspnet:10.0 \\
    AS runtime
COPY --from=build /app .
COPY --from=busybox:1.36 /bin/busybox /bin/
```

```text title="notes/Dockerfile.md"
FROM not-an-image:1
```

```console
$ docker build -f src/Api/Dockerfile -t api:1.0.0 .
...
$ docker tag api:1.0.0 localhost:5000/api:1.0.0 && docker run -d --rm --name reg registry:2
...
$ docker run -ti --rm -e A=1 -p 8080:8080 api:1.0.0
...
$ docker run --rm localhost:5000/api:1.0.0 --version
...
$ docker run --network=host -v "$PWD:/src" -w /src alpine:3 sh -c 'echo hi'
...
```
"""


def plan_of(text: str, tmp_path: Path):
    return plan_guide(parse_guide("page.md", text), PlanSettings(30.0, 30.0, {}, tmp_path, {}))


def test_from_lines_and_run_commands_minus_what_the_page_builds(tmp_path):
    used = images_used(plan_of(PAGE, tmp_path), None)
    assert used == (
        "mcr.microsoft.com/dotnet/sdk:10.0",
        "mcr.microsoft.com/dotnet/aspnet:10.0",
        "busybox:1.36",
        "registry:2",
        "alpine:3",
    )


def test_dockerfiles_of_the_sample_count_and_bin_obj_do_not(tmp_path):
    sample = tmp_path / "sample"
    (sample / "src" / "Web").mkdir(parents=True)
    (sample / "src" / "Web" / "Dockerfile").write_text("FROM nginx:1.27\n", encoding="utf-8")
    (sample / "src" / "Web" / "obj").mkdir()
    (sample / "src" / "Web" / "obj" / "Dockerfile").write_text("FROM junk:1\n", encoding="utf-8")
    page = "# P\n\n```console\n$ docker build -t web src/Web\n...\n```\n"
    assert images_used(plan_of(page, tmp_path), sample) == ("nginx:1.27",)


def test_build_arguments_and_scratch_are_left_out(tmp_path):
    page = (
        '# P\n\n```dockerfile title="Dockerfile"\nARG BASE=alpine:3\nFROM $BASE\n'
        "FROM scratch\nCOPY --from=0 / /\n```\n\n```console\n$ docker run $IMAGE\n...\n```\n"
    )
    assert images_used(plan_of(page, tmp_path), None) == ()
