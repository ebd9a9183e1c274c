"""A runner comment's words -> the options of the block after it, each checked."""

from __future__ import annotations

import shlex

from guiderunner.errors import GuideError
from guiderunner.model import Block, Options, Span

FLAGS = frozenset({"regex", "hidden"})
VALUED = frozenset(
    {"skip", "unless", "timeout", "exit", "service", "ready", "ready-timeout", "stop", "output"}
    | {"note"}
)
NOTE = "note"
"""`note TEXT...`: the rest of the comment is a speaker note, words as written (no quoting);
`note="TEXT"` beside other options."""
OUTPUT_MODES = ("strict", "any")
"""`output=strict`: a command with nothing under it must print nothing; `output=any`: its
output is not checked (the default unless the settings say `strict_output: true`)."""


def split_words(path: str, line: int, text: str) -> list[str]:
    """A comment's words, quotes honoured as the shell would."""
    try:
        return shlex.split(text)
    except ValueError as error:
        raise GuideError(path, line, f"malformed directive: {error}") from None


def options_of(path: str, line: int, text: str) -> dict[str, str]:
    """Flags and `key=value` options of a runner comment; unknown ones name the known."""
    first, *rest = text.split(None, 1) or [""]
    if first == NOTE:
        if not rest:
            raise GuideError(path, line, "directive `note` takes a text")
        return {NOTE: " ".join(rest[0].split())}
    words = split_words(path, line, text)
    options: dict[str, str] = {}
    for word in words:
        key, has_value, value = word.partition("=")
        if key in FLAGS and not has_value:
            options[key] = ""
        elif key in VALUED and has_value and value:
            options[key] = value
        elif key in VALUED or key in FLAGS:
            wanted = "a value" if key in VALUED else "no value"
            raise GuideError(path, line, f"directive `{key}` takes {wanted}")
        else:
            known = ", ".join(sorted(FLAGS | VALUED))
            raise GuideError(path, line, f"unknown directive `{key}` (known: {known})")
    if not options:
        raise GuideError(path, line, "empty runner directive")
    return options


def stop_name(path: str, line: int, options: dict[str, str]) -> str:
    """The service a `stop` comment names; `stop` stands alone."""
    if set(options) != {"stop"}:
        raise GuideError(path, line, "`stop` stands alone in its directive")
    return options["stop"]


def block_options(path: str, block: Block, options: dict[str, str], where: Span) -> Options:
    """The options checked against the block they stand before."""
    line = where.start
    if block.kind == "file" and set(options) - {"skip", "unless", "hidden", NOTE}:
        raise GuideError(
            path, line, "a titled block takes only `skip`, `unless`, `hidden` and `note`"
        )
    if "unless" in options and "skip" not in options:
        raise GuideError(path, line, "`unless` goes with `skip`")
    if "ready" in options and "service" not in options:
        raise GuideError(path, line, "`ready` goes with `service`")
    service = None
    if "service" in options:
        if "ready" not in options:
            raise GuideError(path, line, "a service needs `ready=PATTERN`")
        wait = options.get("ready-timeout")
        from guiderunner.model import ServiceOptions  # a page with services builds it

        service = ServiceOptions(
            name=options["service"],
            ready=options["ready"],
            ready_timeout=_seconds(path, line, "ready-timeout", wait) if wait else None,
        )
    timeout = options.get("timeout")
    output = options.get("output")
    if output is not None and output not in OUTPUT_MODES:
        raise GuideError(path, line, f"`output` wants strict or any, got {output!r}")
    return Options(
        skip=options.get("skip"),
        unless=options.get("unless"),
        timeout=_seconds(path, line, "timeout", timeout) if timeout else None,
        exit_status=_exit_status(path, line, options.get("exit", "0")),
        regex="regex" in options,
        service=service,
        output="strict" if output == "strict" else "any" if output == "any" else None,
        note=options.get(NOTE),
    )


def _seconds(path: str, line: int, key: str, value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < 86400:
        raise GuideError(path, line, f"`{key}` wants seconds, got {value!r}")
    return seconds


def _exit_status(path: str, line: int, value: str) -> int:
    if not value.isdigit() or int(value) > 255:
        raise GuideError(path, line, f"`exit` wants a status from 0 to 255, got {value!r}")
    return int(value)
