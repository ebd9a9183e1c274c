"""Markdown -> Guide: the executable blocks of a page, their directives and stop marks."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Sequence
from dataclasses import replace

from runner.errors import GuideError
from runner.markdown import DIRECTIVE, Token, block_tokens
from runner.model import Block, BlockKind, Guide, Options, ServiceOptions, Span, StopMark

ATTRIBUTE = re.compile(r"""([A-Za-z_][\w-]*)=(?:"([^"]*)"|'([^']*)'|(\S+))""")
FENCE_LINE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
FLAGS = frozenset({"regex", "hidden"})
VALUED = frozenset(
    {"skip", "unless", "timeout", "exit", "service", "ready", "ready-timeout", "stop"}
)
CONTENT_TOKENS = frozenset(
    {
        "fence",
        "code_block",
        "html_block",
        "paragraph_open",
        "heading_open",
        "hr",
        "bullet_list_open",
        "ordered_list_open",
        "blockquote_open",
        "table_open",
    }
)


def parse_guide(path: str, text: str) -> Guide:
    """Parse one page; raises GuideError at the first mistake, naming its line."""
    lines = text.splitlines()
    tokens = block_tokens(text)
    return Guide(path=path, items=tuple(_items(path, lines, tokens, line_offset=0)))


def _items(
    path: str, lines: Sequence[str], tokens: Sequence[Token], line_offset: int
) -> Iterator[Block | StopMark]:
    pending: tuple[Span, dict[str, str]] | None = None
    for token in tokens:
        if token.type not in CONTENT_TOKENS or token.map is None:
            continue
        span = Span(path, token.map[0] + 1 + line_offset, token.map[1] + line_offset)
        if pending is not None:
            fence = token.type == "fence"
            block = _fence_block(path, lines, token, span, line_offset) if fence else None
            yield _attach(path, block, pending)
            pending = None
            continue
        if token.type == "html_block" and DIRECTIVE.match(token.content):
            found, pending = _directive(path, token, span)
            yield from found
        elif token.type == "fence":
            block = _fence_block(path, lines, token, span, line_offset)
            if block is not None:
                yield block
        elif token.type == "code_block":
            _reject_indented_block(path, token, span)
    if pending is not None:
        raise GuideError(path, pending[0].start, "directive at the end of the page has no block")


def _directive(
    path: str, token: Token, span: Span
) -> tuple[list[Block | StopMark], tuple[Span, dict[str, str]] | None]:
    """Return the stop mark or hidden blocks it holds, or the options awaiting the next block."""
    raw = token.content.rstrip("\n").split("\n")
    close = next((i for i, line in enumerate(raw) if "-->" in line), None)
    if close is None:
        raise GuideError(path, span.start, "runner comment is never closed with -->")
    head = DIRECTIVE.match(raw[0])
    assert head is not None
    fence_at = next((i for i, line in enumerate(raw[1:close], 1) if FENCE_LINE.match(line)), None)
    option_lines = [head["body"], *raw[1 : fence_at if fence_at is not None else close + 1]]
    options = _options(path, span.start, " ".join(option_lines).replace("-->", " "))
    if "stop" in options:
        return [StopMark(span, _stop_name(path, span.start, options))], None
    if "hidden" not in options:
        if fence_at is not None:
            raise GuideError(
                path, span.start + fence_at, "a block inside a runner comment needs `hidden`"
            )
        return [], (span, options)
    if fence_at is None or raw[close].strip() != "-->":
        raise GuideError(path, span.start, "a hidden directive ends with a line of its own: `-->`")
    inner_text = "\n".join(raw[fence_at:close]) + "\n"
    inner = block_tokens(inner_text)
    blocks = [
        replace(item, hidden=True, options=_block_options(path, item, options, span))
        for item in _items(path, inner_text.split("\n"), inner, span.start - 1 + fence_at)
        if isinstance(item, Block)
    ]
    if not blocks:
        raise GuideError(path, span.start, "hidden directive holds no console or titled block")
    return list(blocks), None


def _attach(path: str, block: Block | None, pending: tuple[Span, dict[str, str]]) -> Block:
    if block is None:
        raise GuideError(
            path, pending[0].start, "a directive must stand just before a console or titled block"
        )
    return replace(block, options=_block_options(path, block, pending[1], pending[0]))


def _fence_block(
    path: str, lines: Sequence[str], token: Token, span: Span, line_offset: int
) -> Block | None:
    info = token.info.strip()
    lang = info.split(maxsplit=1)[0] if info else ""
    title = _attributes(info).get("title")
    if lang != "console" and title is None:
        return None
    _check_closed(path, lines, token, span, line_offset)
    if lang == "console" and title is not None:
        raise GuideError(path, span.start, "a console block cannot have a title")
    body = tuple(token.content.rstrip("\n").split("\n")) if token.content else ()
    kind: BlockKind = "console" if lang == "console" else "file"
    return Block(span=span, kind=kind, lang=lang, body=body, title=title)


def _check_closed(
    path: str, lines: Sequence[str], token: Token, span: Span, line_offset: int
) -> None:
    assert token.map is not None
    last = token.map[1] - 1
    closing = lines[last].strip() if 0 <= last < len(lines) and last > token.map[0] else ""
    char = token.markup[0]
    if not (closing and set(closing) == {char} and len(closing) >= len(token.markup)):
        raise GuideError(path, span.start, f"code fence {token.markup} is never closed")


def _reject_indented_block(path: str, token: Token, span: Span) -> None:
    if any(FENCE_LINE.match(line) for line in token.content.split("\n")):
        first = token.content.split("\n", 1)[0]
        if "console" in first or "title=" in first:
            raise GuideError(
                path, span.start, "executable blocks cannot be indented (admonitions, tabs)"
            )


def _attributes(info: str) -> dict[str, str]:
    return {m[1]: m[2] or m[3] or m[4] or "" for m in ATTRIBUTE.finditer(info)}


def _options(path: str, line: int, text: str) -> dict[str, str]:
    try:
        words = shlex.split(text)
    except ValueError as error:
        raise GuideError(path, line, f"malformed directive: {error}") from None
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


def _stop_name(path: str, line: int, options: dict[str, str]) -> str:
    if set(options) != {"stop"}:
        raise GuideError(path, line, "`stop` stands alone in its directive")
    return options["stop"]


def _block_options(path: str, block: Block, options: dict[str, str], where: Span) -> Options:
    line = where.start
    if block.kind == "file" and set(options) - {"skip", "unless", "hidden"}:
        raise GuideError(path, line, "a titled block takes only `skip`, `unless` and `hidden`")
    if "unless" in options and "skip" not in options:
        raise GuideError(path, line, "`unless` goes with `skip`")
    if "ready" in options and "service" not in options:
        raise GuideError(path, line, "`ready` goes with `service`")
    service = None
    if "service" in options:
        if "ready" not in options:
            raise GuideError(path, line, "a service needs `ready=PATTERN`")
        wait = options.get("ready-timeout")
        service = ServiceOptions(
            name=options["service"],
            ready=options["ready"],
            ready_timeout=_seconds(path, line, "ready-timeout", wait) if wait else None,
        )
    timeout = options.get("timeout")
    return Options(
        skip=options.get("skip"),
        unless=options.get("unless"),
        timeout=_seconds(path, line, "timeout", timeout) if timeout else None,
        exit_status=_exit_status(path, line, options.get("exit", "0")),
        regex="regex" in options,
        service=service,
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
