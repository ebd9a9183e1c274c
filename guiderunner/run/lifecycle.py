"""One page's life, the same for every command that runs a page (verify, step, update): PageRun.

Entering a PageRun, in this order:

1. checks the machine (guiderunner.run.box.preflight): no bash, no setsid, or, for a page that uses
   Docker, no engine answering, is a MissingPiece (exit 3) before anything starts;
2. copies the sample solution into a scratch workspace;
3. records the session (run.box.leftovers), so that `runner reset` can clean up after a runner
   killed with SIGKILL;
4. starts the page's DockerOwnership (every page when an engine answers: a `sh build.sh` may
   run containers without saying `docker`): a forwarding socket that records each object the
   page creates (guiderunner.run.docker.owned); for a page that does not say `docker`, the
   socket now and the proxy at its first connection (guiderunner.run.docker.on_demand);
5. builds the shell's environment (`page_environment`, the only place that does);
6. makes the page's box (guiderunner.run.box.namespace): the shell and the services run in
   a PID and mount namespace of their own, the proxy over the engine's sockets;
7. starts the shell; services start later, from steps.

Each step then runs through `PageRun.step`: observed, filtered, judged, its verdict told to
the listeners. Leaving, however it happens, undoes it all in reverse: services, the shell, the
box with every process in it (unboxed: those carrying the session's marker), exactly the
Docker objects the page made, the record, the workspace (unless kept). Seams: run.seams.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

from guiderunner.closing import Closing
from guiderunner.errors import MissingPiece
from guiderunner.model import Observation, PageResult, Plan, Step, Verdict, not_run
from guiderunner.run.box import leftovers as record
from guiderunner.run.box.mode import start_asking
from guiderunner.run.box.mounts import page_mounts
from guiderunner.run.box.namespace import Box, layers_folder, open_box, remove_layers
from guiderunner.run.box.preflight import DEFAULT_HOST, check_machine, engine_answers
from guiderunner.run.box.processes import kill_session
from guiderunner.run.box.workspace import scratch_workspace
from guiderunner.run.docker import ownership as docker
from guiderunner.run.docker.wait_clock import WAITING
from guiderunner.run.page_output import PageOutput
from guiderunner.run.page_secrets import learn_literal_secrets, learn_secrets
from guiderunner.run.seams import EnvironmentLayer, Extensions
from guiderunner.run.secrets import SecretMask
from guiderunner.run.shell.session import (
    SESSION_VARIABLE,
    ShellSession,
    new_nonce,
    shell_environment,
)
from guiderunner.run.steps.execute import PageContext, observe
from guiderunner.run.steps.services import Services

Judge = Callable[[Observation], Verdict]
"""The match stage's judge, passed in: the run stage never imports a later one."""
Echo = Callable[[str], None]
"""Where live output goes (filtered text, as it arrives)."""


@dataclass(frozen=True, slots=True)
class PageOptions:
    """How to run a page: what every command that runs one decides."""

    sample: Path | None
    """The sample solution copied into the workspace (None: an empty workspace)."""
    base_env: Mapping[str, str]
    """The runner's environment, which the page's shell starts from."""
    extra_env: Mapping[str, str]
    """Variables every page's shell gets (the settings' `env`)."""
    record: Path
    """The folder of the record `runner reset` reads (guiderunner.run.box.leftovers.record_dir)."""
    keep_workspace: bool = False
    """Keep the workspace afterwards, and record it for `runner reset`."""
    echo: Echo | None = None
    """Live output of the shell, filtered, or None."""
    extensions: Extensions = field(default_factory=Extensions)
    """What callers plug in (guiderunner.run.seams)."""
    secrets: SecretMask | None = None
    """The run's secret mask, also among the output filters: it learns what the page sets."""


def page_environment(
    base: Mapping[str, str],
    extra: Mapping[str, str],
    nonce: str,
    workspace: Path,
    layers: Sequence[EnvironmentLayer] = (),
) -> dict[str, str]:
    """The page shell's environment: the reset one, the settings' variables, then each layer.

    The session marker comes last, so that no layer can remove what cleanup relies on.

    >>> home = lambda workspace, env: {"HOME": str(workspace)}
    >>> env = page_environment({"HOME": "/h"}, {}, "n1", Path("/w"), [home])
    >>> env["HOME"], env["RUNNER_SESSION"], env["LC_ALL"]
    ('/w', 'n1', 'C.UTF-8')
    """
    env = shell_environment(base, extra, nonce)
    for layer in layers:
        env.update(layer(workspace, env))
    env[SESSION_VARIABLE] = nonce
    return env


class PageRun(Closing):
    """A page's workspace, environment, shell, services, record and cleanup: a context manager."""

    def __init__(self, plan: Plan, options: PageOptions, judge: Judge) -> None:
        self.plan = plan
        self.options = options
        self.nonce = new_nonce()
        """The session's marker: in the prompt, and in every process the page starts."""
        self._judge = judge
        self._stack = ExitStack()
        self._context: PageContext | None = None
        self._session: record.Session | None = None
        self._output = PageOutput(options.extensions, options.echo)
        self.workspace: Path | None = None
        """The scratch workspace, once the page has started."""

    def __enter__(self) -> PageRun:
        try:
            self._open(self._stack)
        except BaseException:
            self._stack.close()
            raise
        return self

    def close(self) -> None:
        """Leave the page: everything entered is undone, the last entered first."""
        self._stack.close()

    def _open(self, stack: ExitStack) -> None:
        options = self.options
        check_machine({**options.base_env, **options.extra_env}, docker=self.plan.uses_docker)
        start_asking()  # whether the machine boxes pages: answered while the rest is made
        workspace = stack.enter_context(
            scratch_workspace(options.sample, keep=options.keep_workspace)
        )
        self.workspace = workspace
        if options.keep_workspace:
            stack.callback(record.keep_workspace, options.record, workspace)
        self._session = record.open_session(options.record, self.nonce, workspace)
        stack.callback(record.close_session, options.record, self.nonce)
        owned = self.plan.uses_docker or self._engine_here()
        docker_env = self._own_docker(stack) if owned else {}
        states = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="runner-state-")))
        env = self._environment(workspace, docker=owned)
        env.update(docker_env)
        box = self._box(stack, docker_env)
        if box is None:
            stack.callback(kill_session, self.nonce)
        shell = stack.enter_context(
            ShellSession(workspace, env, self.nonce, self._output.raw, box, paused=WAITING.waited)
        )
        services = stack.enter_context(Services(box))
        self._context = PageContext(workspace, shell, services, env, states)
        if options.secrets is not None:
            learn_literal_secrets(options.secrets, self.plan)

    def _engine_here(self) -> bool:
        """Is there an engine a page could reach? Then its Docker is watched, whatever it says.

        A `sh build.sh` may run containers as well as a `docker run` can.
        """
        env = {**self.options.base_env, **self.options.extra_env}
        return engine_answers(env.get("DOCKER_HOST") or DEFAULT_HOST, env)

    def _environment(self, workspace: Path, *, docker: bool) -> dict[str, str]:
        """The page's environment; Docker layers for pages whose engine is watched.

        A page that does not say `docker` gets them only when they apply: a builder no client
        can use is exit 3 for a Docker page, and nothing for another.
        """
        options, extensions = self.options, self.options.extensions
        plain = tuple(extensions.environment)
        layers = (*plain, *extensions.docker_environment) if docker else plain
        build = page_environment
        try:
            return build(options.base_env, options.extra_env, self.nonce, workspace, layers)
        except MissingPiece:
            if self.plan.uses_docker:
                raise
            return build(options.base_env, options.extra_env, self.nonce, workspace, plain)

    def _box(self, stack: ExitStack, docker_env: Mapping[str, str]) -> Box | None:
        """The kernel's box for the page's processes (None where the machine has none).

        Entered after the Docker ownership, so it is left before: no client of the page is
        mid-call while the page's objects are removed.
        """
        layers = layers_folder(self.nonce)
        layers.mkdir(mode=0o700)
        stack.callback(remove_layers, self.nonce)
        box = open_box(page_mounts(self.options.base_env, docker_env), layers)
        return None if box is None else stack.enter_context(box)

    @property
    def context(self) -> PageContext:
        """The workspace, shell and services the steps share (only inside the `with`)."""
        if self._context is None:
            raise RuntimeError("the page has not started")
        return self._context

    # --- steps -------------------------------------------------------------------------------

    def step(self, step: Step) -> Verdict:
        """Run one step, filter its output, judge it, record its Docker objects, tell listeners."""
        extensions = self.options.extensions
        for started in extensions.step_started:
            started(self.plan.path, step)
        observation = observe(step, self.context)
        if self.options.secrets is not None:
            learn_secrets(self.options.secrets, step, self.context.shell, observation.status)
        observation = self._output.filtered(observation)
        verdict = self._judge(observation)
        self._tell(verdict)
        return verdict

    def run(self, *, keep_going: bool = False) -> Iterator[Verdict]:
        """Every step in order; after a failure the rest is skipped, unless `keep_going`."""
        done = 0
        for step in self.plan.steps:
            verdict = self.step(step)
            done += 1
            yield verdict
            if verdict.did_not_pass and not keep_going:
                break
        failed_at = self.plan.steps[done - 1].span if done else None
        for step in self.plan.steps[done:]:
            reason = step.skip or not_run(failed_at)  # its own reason first
            verdict = Verdict(Observation(step, skipped=reason), "skipped", reason)
            self._tell(verdict)
            yield verdict

    def _tell(self, verdict: Verdict) -> None:
        for listener in self.options.extensions.listeners:
            listener.step_finished(self.plan.path, verdict)

    # --- Docker ------------------------------------------------------------------------------

    def _own_docker(self, stack: ExitStack) -> Mapping[str, str]:
        """Start the page's Docker ownership; its record is where `runner reset` will look.

        Entered before the cleanup of processes is registered, so it is left after them: no
        docker client of the page is mid-call while the page's objects are removed.
        """
        factory = self.options.extensions.docker or (
            docker.ProxyOwnership if self.plan.uses_docker else docker.OnDemandProxy
        )
        private = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="runner-docker-")))
        path = record.docker_record(self.options.record, self.nonce)
        if self._session is not None:
            self._session = replace(self._session, docker_record=str(path))
            record.save_session(self.options.record, self._session)
        return stack.enter_context(factory(private, path)).environment()


def run_page(plan: Plan, options: PageOptions, judge: Judge, *, keep_going: bool) -> PageResult:
    """Run a whole page in a PageRun; listeners hear each verdict as it comes."""
    started = time.perf_counter()
    with PageRun(plan, options, judge) as page:
        verdicts = tuple(page.run(keep_going=keep_going))
    kept = str(page.workspace) if options.keep_workspace else None
    return PageResult(plan.path, verdicts, time.perf_counter() - started, kept)
