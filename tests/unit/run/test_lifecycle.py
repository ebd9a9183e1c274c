"""PageRun with a real bash: the one lifecycle, its record, and each extension point."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

import pytest

from guiderunner.match import judge
from guiderunner.model import Plan, Verdict
from guiderunner.parse import parse_guide
from guiderunner.plan import PlanSettings, plan_guide
from guiderunner.run.lifecycle import PageOptions, PageRun, run_page
from guiderunner.run.seams import Extensions
from guiderunner.run.secrets import SecretMask


def plan_of(text: str) -> Plan:
    settings = PlanSettings(timeout=20, ready_timeout=10, placeholders={}, sample=None, environ={})
    return plan_guide(parse_guide("page.md", text), settings)


def options(tmp_path: Path, **changes: object) -> PageOptions:
    fields: dict[str, object] = {
        "sample": None,
        "base_env": dict(os.environ),
        "extra_env": {},
        "record": tmp_path / "record",
    }
    return PageOptions(**{**fields, **changes})  # type: ignore[arg-type]


def sessions(tmp_path: Path) -> dict[str, dict[str, object]]:
    path = tmp_path / "record" / "leftovers.json"
    return json.loads(path.read_text())["sessions"] if path.exists() else {}


class Heard:
    def __init__(self) -> None:
        self.verdicts: list[tuple[str, Verdict]] = []

    def step_finished(self, path: str, verdict: Verdict) -> None:
        self.verdicts.append((path, verdict))


def test_listeners_hear_every_verdict_and_the_steps_skipped_after_a_failure(tmp_path):
    heard = Heard()
    plan = plan_of("```console\n$ echo one\none\n$ echo two\nthree\n$ echo four\n```\n")
    result = run_page(
        plan, options(tmp_path, extensions=Extensions(listeners=(heard,))), judge, keep_going=False
    )
    outcomes = [v.outcome for _, v in heard.verdicts]
    assert outcomes == ["passed", "failed", "skipped"]
    assert [v.outcome for v in result.verdicts] == outcomes
    assert {path for path, _ in heard.verdicts} == {"page.md"}


def test_the_session_is_recorded_while_the_page_runs_and_forgotten_after(tmp_path):
    plan = plan_of("```console\n$ pwd\n...\n```\n")
    with PageRun(plan, options(tmp_path), judge) as page:
        during = sessions(tmp_path)
        assert page.workspace is not None
        assert page.workspace.is_dir()
        assert page.step(plan.steps[0]).outcome == "passed"
    assert list(during) == [page.nonce]
    assert during[page.nonce]["workspace"] == str(page.workspace)
    assert sessions(tmp_path) == {}
    assert not page.workspace.exists()


def test_a_kept_workspace_stays_and_is_recorded_for_reset(tmp_path):
    plan = plan_of("```console\n$ touch made\n```\n")
    result = run_page(plan, options(tmp_path, keep_workspace=True), judge, keep_going=False)
    assert result.workspace is not None
    assert (Path(result.workspace) / "made").exists()
    record = json.loads((tmp_path / "record" / "leftovers.json").read_text())
    assert record["workspaces"] == [result.workspace]


def test_environment_layers_reach_the_shell_after_the_settings(tmp_path):
    def home(workspace: Path, env: Mapping[str, str]) -> Mapping[str, str]:
        return {"HOME": str(workspace), "SEEN": env["GREETING"]}

    plan = plan_of('```console\n$ test "$HOME" = "$PWD" && echo "$SEEN"\nhello\n```\n')
    extensions = Extensions(environment=(home,))
    changes = {"extra_env": {"GREETING": "hello"}, "extensions": extensions}
    result = run_page(plan, options(tmp_path, **changes), judge, keep_going=False)
    assert [v.outcome for v in result.verdicts] == ["passed"]


def test_output_filters_hide_text_from_verdicts_and_echo_but_not_raw_observers(tmp_path):
    echoed: list[str] = []
    raw: list[bytes] = []
    extensions = Extensions(
        output_filters=(SecretMask(("s3cret",)),),
        raw_observers=(raw.append,),
    )
    # The secret reaches the terminal in two pieces: the live echo must still never show it.
    plan = plan_of("```console\n$ printf 's3c'; sleep 0.3; printf 'ret\\n'\n***\n```\n")
    changes = {"extensions": extensions, "echo": echoed.append}
    result = run_page(plan, options(tmp_path, **changes), judge, keep_going=False)
    assert result.verdicts[0].outcome == "passed"
    assert "s3cret" not in result.verdicts[0].observation.output
    assert "***" in "".join(echoed)
    assert "s3cret" not in "".join(echoed)
    assert b"s3cret" in b"".join(raw)


def test_step_started_hooks_are_called_before_each_step(tmp_path):
    started: list[int] = []
    extensions = Extensions(step_started=(lambda path, step: started.append(step.span.start),))
    plan = plan_of("```console\n$ true\n$ true\n```\n")
    run_page(plan, options(tmp_path, extensions=extensions), judge, keep_going=False)
    assert started == [2, 3]


class FakeOwnership:
    """Records what the lifecycle asks of a Docker ownership."""

    made: list[FakeOwnership] = []

    def __init__(self, private: Path, record_path: Path) -> None:
        self.private, self.record_path = private, record_path
        self.entered = self.left = False
        FakeOwnership.made.append(self)

    def __enter__(self) -> FakeOwnership:
        self.entered = True
        return self

    def __exit__(self, *exc: object) -> None:
        self.left = True

    def environment(self) -> Mapping[str, str]:
        return {"FAKE_PROXY": "yes"}


def test_docker_ownership_wraps_the_page_and_its_record_is_where_reset_looks(
    tmp_path, fake_engine, monkeypatch
):
    monkeypatch.setenv("DOCKER_HOST", fake_engine)
    plan = plan_of('```console\n$ echo "docker $FAKE_PROXY"\ndocker yes\n```\n')
    assert plan.uses_docker
    extensions = Extensions(docker=FakeOwnership)
    with PageRun(plan, options(tmp_path, extensions=extensions), judge) as page:
        assert page.step(plan.steps[0]).outcome == "passed"
        recorded = sessions(tmp_path)[page.nonce]
        ownership = FakeOwnership.made[-1]
        assert ownership.entered
        assert not ownership.left
        assert not str(ownership.private).startswith(str(page.workspace))
    assert recorded["docker_record"] == str(ownership.record_path)
    assert ownership.left


def test_a_page_that_cannot_start_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/none.sock")
    plan = plan_of("```console\n$ docker ps\n```\n")
    from guiderunner.errors import MissingPiece

    with (
        pytest.raises(MissingPiece, match="no Docker engine answers"),
        PageRun(plan, options(tmp_path), judge),
    ):
        pass
    assert sessions(tmp_path) == {}


def test_docker_layers_reach_every_page_when_an_engine_answers(tmp_path, fake_engine, monkeypatch):
    # No word decides: a page that never says `docker` may run it from a script.
    monkeypatch.setenv("DOCKER_HOST", fake_engine)
    layer = (lambda workspace, env: {"BUILDER_SET": "yes"},)
    extensions = Extensions(docker=FakeOwnership, docker_environment=layer)
    docker_page = plan_of('```console\n$ echo "docker ${BUILDER_SET:-no}"\ndocker yes\n```\n')
    plain_page = plan_of('```console\n$ echo "plain ${BUILDER_SET:-no}"\nplain yes\n```\n')
    for plan in (docker_page, plain_page):
        result = run_page(plan, options(tmp_path, extensions=extensions), judge, keep_going=False)
        assert [v.outcome for v in result.verdicts] == ["passed"]


def test_a_plain_page_without_an_engine_runs_without_docker(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/none.sock")
    layer = (lambda workspace, env: {"BUILDER_SET": "yes"},)
    extensions = Extensions(docker=FakeOwnership, docker_environment=layer)
    made = len(FakeOwnership.made)
    plain_page = plan_of('```console\n$ echo "plain ${BUILDER_SET:-no}"\nplain no\n```\n')
    result = run_page(plain_page, options(tmp_path, extensions=extensions), judge, keep_going=False)
    assert [v.outcome for v in result.verdicts] == ["passed"]
    assert len(FakeOwnership.made) == made
