"""Plan -> Observations: run each step for real, in the page's shell, and record what happened.

Nothing here judges output, and nothing here sets a page up: guiderunner.run.lifecycle.PageRun
makes the PageContext (workspace, shell, services) and tears it down. A new kind of step is one
function here, registered in OBSERVERS under its KIND (by name: the kinds a page does not have
are never built, guiderunner.model.features).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from guiderunner.model import Command, Observation, Step, StepKind
from guiderunner.run.shell.session import ShellDied, ShellSession
from guiderunner.run.steps.files import OutsideWorkspace, write_file
from guiderunner.run.steps.services import RunningService, Services


@dataclass(slots=True)
class PageContext:
    """What the steps of one page share while it runs (made by run.lifecycle.PageRun)."""

    workspace: Path
    """The scratch copy the page runs in."""
    shell: ShellSession
    """The page's one interactive bash."""
    services: Services
    """Services started and not yet stopped."""
    env: Mapping[str, str]
    """The shell's environment (services start from the shell's exported variables)."""
    shell_states: Path
    """A private folder where the shell's state is saved for each service to start from."""
    dead: str | None = None
    """Why the shell is gone, once it is: later steps are not run."""


def observe(step: Step, context: PageContext) -> Observation:
    """Run one step, unless it is skipped or the shell is gone."""
    if step.skip is not None:
        return Observation(step, skipped=step.skip)
    if context.dead is not None and step.KIND != "stop":
        return Observation(step, error=f"not run: {context.dead}")
    started = time.perf_counter()
    try:
        return OBSERVERS[step.KIND](step, context, started)
    except ShellDied as died:
        context.dead = str(died)
        return Observation(step, error=str(died), duration=_since(started))


def _since(started: float) -> float:
    """Seconds since `started`: each observer times itself (no copy of its observation)."""
    return time.perf_counter() - started


def _run_command(step: Step, context: PageContext, started: float) -> Observation:
    assert isinstance(step, Command)
    typed = context.shell.run(step.text, step.timeout)
    output = _text(typed.output)
    return Observation(step, output, typed.status, _since(started), error=typed.error)


def _write(step: Step, context: PageContext, started: float) -> Observation:
    from guiderunner.model import WriteFile

    assert isinstance(step, WriteFile)
    try:
        write_file(context.workspace, step.path, step.content)
    except (OutsideWorkspace, OSError) as error:
        problem = f"cannot write {step.path}: {error}"
        return Observation(step, error=problem, duration=_since(started))
    return Observation(step, status=0, duration=_since(started))


def _start(step: Step, context: PageContext, started: float) -> Observation:
    from guiderunner.model import StartService

    assert isinstance(step, StartService)
    state = context.shell_states / f"{step.name}.sh"
    context.shell.save_state(state)
    service = RunningService(
        step.name, step.text, state, context.workspace, context.env, box=context.services.box
    )
    context.services.add(service)
    problem = service.wait_ready(step.ready, step.ready_timeout)
    status = None if problem else 0
    return Observation(step, _text(service.output), status, _since(started), error=problem)


def _stop(step: Step, context: PageContext, started: float) -> Observation:
    from guiderunner.model import StopService

    assert isinstance(step, StopService)
    if step.name not in context.services:
        problem = f"service {step.name!r} is not running"
        return Observation(step, error=problem, duration=_since(started))
    service = context.services.pop(step.name)
    status = service.stop()
    return Observation(step, _text(service.output), status, _since(started))


def _text(output: bytes) -> str:
    return output.decode("utf-8", "replace")


OBSERVERS: dict[StepKind, Callable[[Step, PageContext, float], Observation]] = {
    "command": _run_command,
    "file": _write,
    "start": _start,
    "stop": _stop,
}
"""How each kind of step runs, by its KIND: step, context, when it started (perf_counter)."""
