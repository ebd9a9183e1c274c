"""Parsing pages written the way real projects write them (issue 13, items 8 and 9)."""

from __future__ import annotations

import pytest

from guiderunner.errors import GuideError
from guiderunner.model import Block
from guiderunner.parse import parse_guide


def blocks(text: str) -> list[Block]:
    return [item for item in parse_guide("p.md", text).items if isinstance(item, Block)]


def test_a_console_block_inside_an_admonition_after_a_sentence_is_found():
    text = "# T\n\n!!! tip\n    Try this:\n\n    ```console\n    $ echo hi\n    hi\n    ```\n"
    (block,) = blocks(text)
    assert (block.span.start, block.span.end, block.body) == (6, 9, ("$ echo hi", "hi"))


@pytest.mark.parametrize(
    "text",
    [
        '??? note "Details"\n    ```console\n    $ echo hi\n    ```\n',
        "1. First:\n\n   ```console\n   $ echo hi\n   ```\n",
        "> Quoted:\n>\n> ```console\n> $ echo hi\n> ```\n",
    ],
)
def test_console_blocks_in_containers_are_found(text: str):
    (block,) = blocks(text)
    assert block.body == ("$ echo hi",)


@pytest.mark.parametrize("lang", ["console", "shell-session", "terminal", "Console"])
def test_session_fences_run(lang: str):
    (block,) = blocks(f"```{lang}\n$ true\n```\n")
    assert block.kind == "console"


@pytest.mark.parametrize(
    ("fence", "named"),
    [
        ("```bash", "a `bash` fence"),
        ("```sh", "a `sh` fence"),
        ("```shell", "a `shell` fence"),
        ("```zsh", "a `zsh` fence"),
        ("```", "an unlabelled fence"),
    ],
)
def test_prompt_lines_in_script_fences_are_not_run_but_noticed(fence: str, named: str):
    guide = parse_guide("p.md", f"Text\n\n{fence}\n$ echo a\na\n$ echo b\n$ ls\n```\n")
    assert guide.items == ()
    (notice,) = guide.notices
    assert str(notice.span) == "p.md:3"
    assert notice.message == f"3 prompt lines in {named} are not run; use `console` to run them"


def test_script_fences_without_prompts_say_nothing():
    assert parse_guide("p.md", "```bash\necho a\n```\n").notices == ()


@pytest.mark.parametrize(
    "info", ['console title="Terminal"', "shell-session title=Terminal", 'bash title="Terminal"']
)
def test_a_title_on_a_session_is_a_caption_not_a_file(info: str):
    items = blocks(f"```{info}\n$ echo hi\nhi\n```\n")
    assert all(b.kind == "console" and b.title is None for b in items)


def test_a_titled_script_without_prompts_is_still_a_file():
    (block,) = blocks('```bash title="setup.sh"\necho hi\n```\n')
    assert (block.kind, block.title) == ("file", "setup.sh")


@pytest.mark.parametrize("odd", ["\f", "\u2028", "\u0085", "\u2029", "\x1c", "\x0b"])
def test_line_separators_that_markdown_does_not_split_on_do_not_break_fences(odd: str):
    text = (
        f"Intro{odd}text\n\n```console\n$ printf 'a{odd}b'\n```\n\n"
        f"End{odd}\n```console\n$ true\n```\n"
    )
    first, second = blocks(text)
    assert (first.span.start, first.span.end) == (3, 5)
    assert (second.span.start, second.span.end) == (8, 10)
    assert first.body == (f"$ printf 'a{odd}b'",)


def test_a_closed_fence_in_a_blockquote_is_closed_and_an_open_one_is_not():
    assert blocks("> ```console\n> $ true\n> ```\n")[0].body == ("$ true",)
    with pytest.raises(GuideError, match="never closed"):
        blocks("> ```console\n> $ true\n\nafter\n")


def test_when_comments_attach_to_the_next_console_block():
    text = (
        "<!-- runner: when builder=legacy\n```console\n$ build\nold\n```\n-->\n"
        "<!-- runner: timeout=9 -->\n```console\n$ build\nnew\n```\n"
    )
    (block,) = blocks(text)
    (variant,) = block.variants
    assert (variant.facts, variant.body, variant.span.start, variant.fence) == (
        (("builder", "legacy"),),
        ("$ build", "old"),
        1,
        2,
    )
    assert block.options.timeout == 9.0


@pytest.mark.parametrize(
    "info", ['bash title="Terminal"', 'shell title="Install"', 'python title="Example script"']
)
def test_captions_on_scripts_write_nothing_and_say_so(info: str):
    guide = parse_guide("p.md", f"```{info}\nnpm install\n```\n")
    assert guide.items == ()
    (notice,) = guide.notices
    assert "is a caption, not a file" in notice.message


@pytest.mark.parametrize("lang", ["sh-session", "shellsession", "bash-session"])
def test_other_session_names_with_prompts_are_noticed(lang: str):
    (notice,) = parse_guide("p.md", f"```{lang}\n$ ls\n```\n").notices
    assert "not run" in notice.message
