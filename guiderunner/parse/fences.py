"""Fences: which ones run (sessions), which write a file, which are captions, and notices.

A session fence (`console`, `shell-session`, `terminal`) runs its `$ ` lines; a titled fence
writes a file, unless its title is a caption; prompt lines that will not run are reported.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from guiderunner.errors import GuideError
from guiderunner.markdown import BlockToken
from guiderunner.model import Block, Span

if TYPE_CHECKING:
    from guiderunner.model import Notice

ATTRIBUTE = re.compile(r"""([A-Za-z_][\w-]*)=(?:"([^"]*)"|'([^']*)'|(\S+))""")
FENCE_LINE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
SESSIONS = frozenset({"console", "shell-session", "terminal"})
"""Fences whose `$ ` lines run: terminal sessions, as GitHub and Pygments name them."""
SHELLS = frozenset({"", "shell", "bash", "sh", "zsh"})
"""Script fences: their `$ ` lines are not run, and the author is told."""


def fence_block(path: str, token: BlockToken, span: Span, notices: list[Notice]) -> Block | None:
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
        _refuse_includes(path, span, body)
        return Block(span=span, kind="console", lang=lang, body=body)
    shell = lang.lower() in SHELLS or "session" in lang.lower()
    prompts = sum(1 for line in body if line.startswith("$ ") or line.rstrip() == "$")
    if shell and prompts:
        from guiderunner.model import Notice  # a page with unrun prompts or captions builds it

        notices.append(Notice(span, _prompt_notice(prompts, lang)))
        return None
    if title is None:
        return None
    if _is_caption(lang, title):
        from guiderunner.model import Notice

        notices.append(Notice(span, f"title {title!r} is a caption, not a file: nothing runs"))
        return None
    _check_closed(path, token, span)
    _refuse_includes(path, span, body)
    return Block(span=span, kind="file", lang=lang, body=body, title=title)


INCLUDE = re.compile(
    r"""(?P<mdbook>\{\{\s*\#(?:include|rustdoc_include|playground)\b[^}]*\}\})"""
    r"""|^\s*(?P<snippet>-{1,3}8<-{1,3})\s*(?:["'].*["'])?\s*$"""
)
"""mdBook's `{{#include file}}` and Material's (pymdownx.snippets) `--8<-- "file"`."""


def _refuse_includes(path: str, span: Span, body: tuple[str, ...]) -> None:
    """A block the site fills from another file is refused, naming the line.

    The site shows the file's text there; compared or typed literally, the line would
    mean something else than what a reader sees. Exit 2 with what to do.
    """
    for number, line in enumerate(body, span.start + 1):
        found = INCLUDE.search(line)
        if found is None:
            continue
        what = "mdBook's include" if found["mdbook"] else "a Material snippet (`--8<--`)"
        raise GuideError(
            path,
            number,
            f"{what} in a block the runner runs: it does not expand them; write the lines"
            " out in the block, or show it in a fence the runner does not run (`text`)",
        )


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
    verb = "is" if prompts == 1 else "are"
    return f"{prompts} {lines} in {fence} {verb} not run; use `console` to run them"


def _check_closed(path: str, token: BlockToken, span: Span) -> None:
    """A fence that runs to the end of its container was never closed.

    Its lines (from markdown-it's own map, so blockquotes, lists, form feeds and U+2028 count
    as they do for markdown-it) are then its opening line and its content, with no closing one.
    """
    assert token.map is not None
    if token.map[1] - token.map[0] - 1 == token.content.count("\n"):
        raise GuideError(path, span.start, f"code fence {token.markup} is never closed")


def reject_indented_block(path: str, token: BlockToken, span: Span) -> None:
    """An indented code block that holds a session fence would pass silently: refuse it."""
    if any(FENCE_LINE.match(line) for line in token.content.split("\n")):
        first = token.content.split("\n", 1)[0]
        if "console" in first or "title=" in first:
            raise GuideError(
                path,
                span.start,
                'an indented console block runs only in a content tab (=== "Title")',
            )


def _attributes(info: str) -> dict[str, str]:
    return {m[1]: m[2] or m[3] or m[4] or "" for m in ATTRIBUTE.finditer(info)}
