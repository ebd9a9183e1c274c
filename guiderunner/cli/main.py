"""argv -> sub-command -> ExitCode: the one command table, the one error path.

Every sub-command is one entry of COMMANDS (name, help, arguments, handler). Errors end here
and only here, each as one line on stderr: a user's mistake (UsageError) exits 2, a missing
piece of the machine (MissingPiece, or the toolchain's ToolchainError) exits 3, Ctrl-C and
SIGTERM 130 once everything started is stopped.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import FrameType

from guiderunner import __version__
from guiderunner.errors import ExitCode, MissingPiece, UsageError
from guiderunner.toolchain.errors import ToolchainError

Handler = Callable[[argparse.Namespace], int]


@dataclass(frozen=True, slots=True)
class SubCommand:
    """One entry of the command table, named so that only the command run is imported.

    `runner verify` imports guiderunner.cli.verify and nothing of `publish` or `i18n`: the
    table holds where each function is, not the function.
    """

    name: str
    """What follows `runner`."""
    help: str
    """One line for `runner --help`."""
    module: str
    """The module of guiderunner.cli that holds both functions."""
    arguments_name: str = "arguments"
    """Its function that adds the sub-command's arguments to a parser."""
    handler_name: str = "handler"
    """Its function that runs the sub-command and returns the exit status."""

    def arguments(self, parser: argparse.ArgumentParser) -> None:
        """Add the sub-command's arguments (imports its module)."""
        getattr(self._module(), self.arguments_name)(parser)

    def handler(self, args: argparse.Namespace) -> int:
        """Run it (its module is already imported by `arguments`)."""
        return int(getattr(self._module(), self.handler_name)(args))

    def _module(self) -> object:
        return importlib.import_module(f"guiderunner.cli.{self.module}")


COMMANDS: tuple[SubCommand, ...] = (
    SubCommand(
        "list",
        "print the plan of each page, run nothing",
        "verify",
        "list_arguments",
        "list_command",
    ),
    SubCommand(
        "verify",
        "run each page and check its output",
        "verify",
        "verify_arguments",
        "verify_command",
    ),
    SubCommand(
        "report", "merge the shards' JSON reports into one", "report", handler_name="report_command"
    ),
    SubCommand(
        "step", "run a page step by step, for an audience", "step", handler_name="step_command"
    ),
    SubCommand(
        "update",
        "rewrite a page's expected output from a run",
        "update",
        handler_name="update_command",
    ),
    SubCommand(
        "reset",
        "remove kept workspaces and what killed runs left",
        "reset",
        handler_name="reset_command",
    ),
    SubCommand(
        "toolchain",
        "set up what mkdocs.yml's `toolchain` setting names (engine, images, registry)",
        "toolchain",
        handler_name="toolchain_command",
    ),
    SubCommand(
        "i18n", "translate the pages (Gettext PO catalogs)", "i18n", handler_name="i18n_command"
    ),
    SubCommand(
        "publish",
        "build the site into site/ (and each configured translation)",
        "publish",
        handler_name="publish_command",
    ),
    SubCommand(
        "serve",
        "serve the site live: rebuilt, and the page verified, on save",
        "serve",
        handler_name="serve_command",
    ),
)
"""Every sub-command of `runner`, in the order `runner --help` lists them."""


class Interrupted(BaseException):
    """SIGTERM (or a second Ctrl-C): unwind every `with` so that cleanup runs."""


def main(argv: Sequence[str]) -> int:
    """Run `runner` with these arguments and return the exit status."""
    try:
        args = build_parser(_named(argv) or "").parse_args(argv)
    except SystemExit as exit_:
        return ExitCode.USAGE if exit_.code not in (0, None) else ExitCode.OK
    except KeyboardInterrupt:
        return _fail("interrupted before anything started", ExitCode.INTERRUPTED)
    previous = _install_signal_handlers()
    try:
        return int(args.handler(args))
    except (KeyboardInterrupt, Interrupted):
        return _fail("interrupted; everything it started was stopped", ExitCode.INTERRUPTED)
    except Exception as error:
        status = _handled(error)
        if status is None:
            raise
        return status
    finally:
        _restore_signal_handlers(previous)


def _handled(error: Exception) -> int | None:
    """The exit status of an error the one error path knows, having said it in one line.

    None: an error nobody foresaw, which should show its traceback.
    """
    if isinstance(error, UsageError | MissingPiece | ToolchainError):
        return _fail(str(error), _exit_code(error))
    if isinstance(error, BrokenPipeError):
        # The reader closed the pipe (`runner list | head`): stop quietly, as cat would.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitCode.FAILED
    if isinstance(error, OSError):
        # The machine refused something (a full disk, a folder it may not write): exit 3.
        where = f"{error.filename}: " if error.filename else ""
        return _fail(f"{where}{error.strerror or error}", ExitCode.ENVIRONMENT)
    if _shell_died(error):
        return _fail(f"the page's bash: {error}", ExitCode.ENVIRONMENT)
    return None


def _shell_died(error: Exception) -> bool:
    """Whether `error` is the shell's ShellDied (bash did not start, or went away).

    Only a run that started a shell can raise it, so its module is loaded then: looking it up
    costs nothing and keeps the shell's module out of every other command's start.
    """
    session = sys.modules.get("guiderunner.run.shell.session")
    return session is not None and isinstance(error, session.ShellDied)


def _exit_code(error: Exception) -> int:
    """2 for a user's mistake, 3 for a missing piece of the machine (the toolchain says which)."""
    if isinstance(error, ToolchainError):
        return error.exit_code
    return ExitCode.USAGE if isinstance(error, UsageError) else ExitCode.ENVIRONMENT


def _fail(message: str, code: int) -> int:
    print(f"runner: {message}", file=sys.stderr)
    return code


def _named(argv: Sequence[str]) -> str | None:
    """The sub-command the arguments name first, if it is one of COMMANDS."""
    names = {command.name for command in COMMANDS}
    return argv[0] if argv and argv[0] in names else None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line: one sub-command per entry of COMMANDS.

    With `only`, the other sub-commands are listed without their arguments, so that their
    modules are not imported: `runner verify` starts as fast as it can (`""`: none of them).
    """
    parser = argparse.ArgumentParser(prog="runner", description="Run Markdown guides for real.")
    parser.add_argument("--version", action="version", version=f"runner {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        sub = commands.add_parser(command.name, help=command.help)
        if only is None or command.name == only:
            command.arguments(sub)
        sub.set_defaults(handler=command.handler)
    return parser


def _install_signal_handlers() -> dict[int, object]:
    def stop(signum: int, frame: FrameType | None) -> None:
        # Cleanup must not be cut short by a second signal.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Interrupted

    return {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}


def _restore_signal_handlers(previous: dict[int, object]) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)  # type: ignore[arg-type]
