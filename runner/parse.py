"""Markdown -> Guide: the executable blocks of a page, their directives and stop marks."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Sequence
from dataclasses import replace

from runner.errors import GuideError
from runner.markdown import DIRECTIVE, Token, block_tokens
from runner.model import Block, Guide, Notice, Options, ServiceOptions, Span, StopMark, Variant

ATTRIBUTE = re.compile(r"""([A-Za-z_][\w-]*)=(?:"([^"]*)"|'([^']*)'|(\S+))""")
FENCE_LINE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
WHEN = re.compile(r"^\s*<!--\s*runner:\s*when(?:\s+(?P<facts>.*))?$", re.MULTILINE)
SESSIONS = frozenset({"console", "shell-session", "terminal"})
"""Fences whose `$ ` lines run: terminal sessions, as GitHub and Pygments name them."""
SHELLS = frozenset({"", "shell", "bash", "sh", "zsh"})
"""Script fences: their `$ ` lines are not run, and the author is told."""
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
    notices: list[Notice] = []
    items = tuple(_items(path, block_tokens(text), 0, notices))
    return Guide(path=path, items=items, notices=tuple(notices))


class _Pending:
    """What waits for the next block: a directive's options, and `when` comments."""

    def __init__(self) -> None:
        self.options: tuple[Span, dict[str, str]] | None = None
        self.variants: list[Variant] = []

    def __bool__(self) -> bool:
        return self.options is not None or bool(self.variants)

    def attach(self, path: str, block: Block | None) -> Block:
        if self.variants and (block is None or block.kind != "console"):
            where = self.variants[0].span.start
            raise GuideError(path, where, "a `when` comment must stand just before a console block")
        if self.options is not None:
            block = _attach(path, block, self.options)
        assert block is not None
        return replace(block, variants=tuple(self.variants))

    def first_line(self) -> int:
        return self.options[0].start if self.options else self.variants[0].span.start


def _items(
    path: str, tokens: Sequence[Token], line_offset: int, notices: list[Notice]
) -> Iterator[Block | StopMark]:
    pending = _Pending()
    for token in tokens:
        if token.type not in CONTENT_TOKENS or token.map is None:
            continue
        span = Span(path, token.map[0] + 1 + line_offset, token.map[1] + line_offset)
        directive = token.type == "html_block" and DIRECTIVE.match(token.content)
        if directive and WHEN.match(token.content):
            pending.variants.append(_variant(path, token, span))
            continue
        if directive and pending.options is None:
            found, pending.options = _directive(path, token, span, notices)
            if found and pending.variants:
                yield pending.attach(path, None)  # a `when` before a hidden block or a stop
            yield from found
            continue
        if pending:
            fence = token.type == "fence"
            block = _fence_block(path, token, span, notices) if fence else None
            yield pending.attach(path, block)
            pending = _Pending()
            continue
        if token.type == "fence":
            block = _fence_block(path, token, span, notices)
            if block is not None:
                yield block
        elif token.type == "code_block":
            _reject_indented_block(path, token, span)
    if pending:
        raise GuideError(
            path, pending.first_line(), "directive at the end of the page has no block"
        )


def _comment_lines(path: str, token: Token, span: Span) -> tuple[list[str], int]:
    """The comment's lines, and the index of the one that holds `-->`."""
    raw = token.content.rstrip("\n").split("\n")
    close = next((i for i, line in enumerate(raw) if "-->" in line), None)
    if close is None:
        raise GuideError(path, span.start, "runner comment is never closed with -->")
    return raw, close


def _inner_blocks(
    path: str, raw: list[str], fence_at: int, close: int, span: Span, *, notices: list[Notice]
) -> list[Block]:
    """The blocks a hidden or `when` comment holds, with their lines on the page."""
    if raw[close].strip() != "-->":
        raise GuideError(path, span.start, "a hidden directive ends with a line of its own: `-->`")
    inner_text = "\n".join(raw[fence_at:close]) + "\n"
    inner = block_tokens(inner_text)
    found = _items(path, inner, span.start - 1 + fence_at, notices)
    return [item for item in found if isinstance(item, Block)]


def _variant(path: str, token: Token, span: Span) -> Variant:
    """A `runner: when KEY=VALUE` comment and the console block it holds."""
    raw, close = _comment_lines(path, token, span)
    fence_at = next((i for i, line in enumerate(raw[1:close], 1) if FENCE_LINE.match(line)), None)
    head = WHEN.match(raw[0])
    assert head is not None
    words = " ".join([head["facts"] or "", *raw[1 : fence_at or close + 1]]).replace("-->", " ")
    facts = tuple(_fact(path, span.start, word) for word in _words(path, span.start, words))
    if not facts:
        raise GuideError(path, span.start, "`when` wants KEY=VALUE facts (`when builder=legacy`)")
    if fence_at is None:
        raise GuideError(path, span.start, "a `when` comment holds a console block")
    blocks = _inner_blocks(path, raw, fence_at, close, span, notices=[])
    if len(blocks) != 1 or blocks[0].kind != "console":
        raise GuideError(path, span.start, "a `when` comment holds one console block")
    return Variant(span=span, fence=blocks[0].span.start, facts=facts, body=blocks[0].body)


def _fact(path: str, line: int, word: str) -> tuple[str, str]:
    key, equals, value = word.partition("=")
    if not (equals and key and value):
        raise GuideError(path, line, f"`when` wants KEY=VALUE, got {word!r}")
    return key, value


def _directive(
    path: str, token: Token, span: Span, notices: list[Notice]
) -> tuple[list[Block | StopMark], tuple[Span, dict[str, str]] | None]:
    """Return the stop mark or hidden blocks it holds, or the options awaiting the next block."""
    raw, close = _comment_lines(path, token, span)
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
    if fence_at is None:
        raise GuideError(path, span.start, "a hidden directive ends with a line of its own: `-->`")
    blocks = [
        replace(item, hidden=True, options=_block_options(path, item, options, span))
        for item in _inner_blocks(path, raw, fence_at, close, span, notices=notices)
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


def _fence_block(path: str, token: Token, span: Span, notices: list[Notice]) -> Block | None:
    """The block a fence makes: a session (commands), a file (a title), or nothing to run.

    A title is a caption (as in Docusaurus and Material), not a file, on a session fence, on a
    shell fence that shows prompts or whose title is not a script's path (`Terminal`), and
    whenever it holds a space. Prompts or captioned commands that do not run are reported.
    """
    info = token.info.strip()
    lang = info.split(maxsplit=1)[0] if info else ""
    title = _attributes(info).get("title")
    body = tuple(token.content.rstrip("\n").split("\n")) if token.content else ()
    if lang.lower() in SESSIONS:
        _check_closed(path, token, span)
        return Block(span=span, kind="console", lang=lang, body=body)
    shell = lang.lower() in SHELLS or "session" in lang.lower()
    prompts = sum(1 for line in body if line.startswith("$ ") or line.rstrip() == "$")
    if shell and prompts:
        notices.append(Notice(span, _prompt_notice(prompts, lang)))
        return None
    if title is None:
        return None
    if _is_caption(lang, title):
        notices.append(Notice(span, f"title {title!r} is a caption, not a file: nothing runs"))
        return None
    _check_closed(path, token, span)
    return Block(span=span, kind="file", lang=lang, body=body, title=title)


def _is_caption(lang: str, title: str) -> bool:
    """`Install the tools` or `bash title="Terminal"`: a caption; `setup.sh`, `Dockerfile`: a file.

    >>> [_is_caption(*a) for a in [("bash", "Terminal"), ("bash", "setup.sh"), ("", "Makefile")]]
    [True, False, False]
    """
    if any(char.isspace() for char in title):
        return True
    return lang.lower() in SHELLS - {""} and "." not in title and "/" not in title


def _prompt_notice(prompts: int, lang: str) -> str:
    fence = f"a `{lang}` fence" if lang else "an unlabelled fence"
    lines = "prompt line" if prompts == 1 else "prompt lines"
    return f"{prompts} {lines} in {fence} are not run; use `console` to run them"


def _check_closed(path: str, token: Token, span: Span) -> None:
    """A fence that runs to the end of its container was never closed.

    Its lines (from markdown-it's own map, so blockquotes, lists, form feeds and U+2028 count
    as they do for markdown-it) are then its opening line and its content, with no closing one.
    """
    assert token.map is not None
    if token.map[1] - token.map[0] - 1 == token.content.count("\n"):
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


def _words(path: str, line: int, text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError as error:
        raise GuideError(path, line, f"malformed directive: {error}") from None


def _options(path: str, line: int, text: str) -> dict[str, str]:
    words = _words(path, line, text)
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
