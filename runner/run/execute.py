"""Plan -> Observations: run each step for real, in one shell per page, and record what happened.

Nothing here judges output: the caller matches each observation as it comes and may stop
iterating (fail-fast). Leaving `page_context` stops every service, the shell, the processes the
page started and the Docker containers and networks it created, however it is left.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from runner.model import Command, Observation, Plan, StartService, Step, StopService, WriteFile
from runner.run.cleanup import DockerJanitor, kill_session
from runner.run.files import OutsideWorkspace, write_file
from runner.run.service import Service, Services
from runner.run.shell import ShellDied, ShellSession, new_nonce, shell_environment


@dataclass(slots=True)
class PageContext:
    """What the steps of one page share while it runs."""

    workspace: Path
    shell: ShellSession
    services: Services
    env: Mapping[str, str]
    state_dir: Path
    dead: str | None = None


@contextmanager
def page_context(
    plan: Plan,
    workspace: Path,
    base_env: Mapping[str, str],
    extra_env: Mapping[str, str],
    *,
    echo: Callable[[bytes], None] | None = None,
    nonce: str | None = None,
) -> Iterator[PageContext]:
    """The shell and services of one page; on exit, everything the page started is stopped."""
    nonce = nonce or new_nonce()
    env = shell_environment(base_env, extra_env, nonce)
    with ExitStack() as stack:
        stack.enter_context(DockerJanitor(plan.uses_docker))
        stack.callback(kill_session, nonce)
        state_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="runner-state-")))
        shell = stack.enter_context(ShellSession(workspace, env, nonce, echo))
        services = stack.enter_context(Services())
        yield PageContext(workspace, shell, services, env, state_dir)


def execute(plan: Plan, context: PageContext) -> Iterator[Observation]:
    """Yield one observation per step, in order, in the page's shell (see page_context)."""
    for step in plan.steps:
        yield observe(step, context)


def observe(step: Step, context: PageContext) -> Observation:
    """Run one step, unless it is skipped or the shell is gone."""
    if step.skip is not None:
        return Observation(step, skipped=step.skip)
    if context.dead is not None and not isinstance(step, StopService):
        return Observation(step, error=f"not run: {context.dead}")
    started = time.perf_counter()
    try:
        observation = OBSERVERS[type(step)](step, context)
    except ShellDied as died:
        context.dead = str(died)
        observation = Observation(step, error=str(died))
    return replace(observation, duration=time.perf_counter() - started)


def _run_command(step: Step, context: PageContext) -> Observation:
    assert isinstance(step, Command)
    typed = context.shell.run(step.text, step.timeout)
    return Observation(step, _text(typed.output), typed.status, error=typed.error)


def _write(step: Step, context: PageContext) -> Observation:
    assert isinstance(step, WriteFile)
    try:
        write_file(context.workspace, step.path, step.content)
    except (OutsideWorkspace, OSError) as error:
        return Observation(step, error=f"cannot write {step.path}: {error}")
    return Observation(step, status=0)


def _start(step: Step, context: PageContext) -> Observation:
    assert isinstance(step, StartService)
    state = context.state_dir / f"{step.name}.sh"
    context.shell.save_state(state)
    service = Service(step.name, step.text, state, context.workspace, context.env)
    context.services.add(service)
    problem = service.wait_ready(step.ready, step.ready_timeout)
    return Observation(step, _text(service.output), None if problem else 0, error=problem)


def _stop(step: Step, context: PageContext) -> Observation:
    assert isinstance(step, StopService)
    if step.name not in context.services:
        return Observation(step, error=f"service {step.name!r} is not running")
    service = context.services.pop(step.name)
    status = service.stop()
    return Observation(step, _text(service.output), status)


def _text(output: bytes) -> str:
    return output.decode("utf-8", "replace")


OBSERVERS: dict[type, Callable[[Step, PageContext], Observation]] = {
    Command: _run_command,
    WriteFile: _write,
    StartService: _start,
    StopService: _stop,
}
"""How each kind of step runs."""
