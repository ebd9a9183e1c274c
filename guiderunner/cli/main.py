"""argv -> sub-command -> ExitCode: the one command table, the one error path.

Every sub-command is one entry of COMMANDS (name, help, arguments, handler). Errors end here
and only here, each as one line on stderr: a user's mistake (UsageError) exits 2, a missing
piece of the machine (MissingPiece, or the toolchain's ToolchainError) exits 3, Ctrl-C and
SIGTERM 130 once everything started is stopped.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import FrameType

from guiderunner.cli import i18n, publish, report, reset, serve, step, toolchain, update, verify
from guiderunner.errors import ExitCode, MissingPiece, UsageError

Handler = Callable[[argparse.Namespace], int]


@dataclass(frozen=True, slots=True)
class SubCommand:
    """One entry of the command table."""

    name: str
    """What follows `runner`."""
    help: str
    """One line for `runner --help`."""
    arguments: Callable[[argparse.ArgumentParser], None]
    """Adds the sub-command's arguments."""
    handler: Handler
    """Runs it; returns the exit status."""


COMMANDS: tuple[SubCommand, ...] = (
    SubCommand(
        "list",
        "print the plan of each page, run nothing",
        verify.list_arguments,
        verify.list_command,
    ),
    SubCommand(
        "verify",
        "run each page and check its output",
        verify.verify_arguments,
        verify.verify_command,
    ),
    SubCommand(
        "report",
        "merge the shards' JSON reports into one",
        report.arguments,
        report.report_command,
    ),
    SubCommand(
        "step", "run a page step by step, for an audience", step.arguments, step.step_command
    ),
    SubCommand(
        "update",
        "rewrite a page's expected output from a run",
        update.arguments,
        update.update_command,
    ),
    SubCommand(
        "reset",
        "remove kept workspaces and what killed runs left",
        reset.arguments,
        reset.reset_command,
    ),
    SubCommand(
        "toolchain",
        "Docker engine, .NET images, registry",
        toolchain.arguments,
        toolchain.toolchain_command,
    ),
    SubCommand(
        "i18n", "translate the pages (Gettext PO catalogs)", i18n.arguments, i18n.i18n_command
    ),
    SubCommand(
        "publish",
        "build the bilingual site into site/",
        publish.arguments,
        publish.publish_command,
    ),
    SubCommand(
        "serve",
        "serve the site live: rebuilt, and the page verified, on save",
        serve.arguments,
        serve.serve_command,
    ),
)
"""Every sub-command of `runner`, in the order `runner --help` lists them."""


class Interrupted(BaseException):
    """SIGTERM (or a second Ctrl-C): unwind every `with` so that cleanup runs."""


def main(argv: Sequence[str]) -> int:
    """Run `runner` with these arguments and return the exit status."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:
        return ExitCode.USAGE if exit_.code not in (0, None) else ExitCode.OK
    except KeyboardInterrupt:
        return _fail("interrupted before anything started", ExitCode.INTERRUPTED)
    previous = _install_signal_handlers()
    try:
        return int(args.handler(args))
    except (UsageError, MissingPiece, toolchain.ToolchainError) as error:
        return _fail(str(error), _exit_code(error))
    except BrokenPipeError:
        # The reader closed the pipe (`runner list | head`): stop quietly, as cat would.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitCode.FAILED
    except (KeyboardInterrupt, Interrupted):
        return _fail("interrupted; everything it started was stopped", ExitCode.INTERRUPTED)
    finally:
        _restore_signal_handlers(previous)


def _exit_code(error: Exception) -> int:
    """2 for a user's mistake, 3 for a missing piece of the machine (the toolchain says which)."""
    if isinstance(error, toolchain.ToolchainError):
        return error.exit_code
    return ExitCode.USAGE if isinstance(error, UsageError) else ExitCode.ENVIRONMENT


def _fail(message: str, code: int) -> int:
    print(f"runner: {message}", file=sys.stderr)
    return code


def build_parser() -> argparse.ArgumentParser:
    """The command line: one sub-command per entry of COMMANDS."""
    parser = argparse.ArgumentParser(prog="runner", description="Run Markdown guides for real.")
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        sub = commands.add_parser(command.name, help=command.help)
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
