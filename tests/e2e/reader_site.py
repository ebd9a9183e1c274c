"""The fixture page of the reader-site tests, verified for real and published with its report.

tests/e2e/test_reader_site.py reads the built HTML (no browser); test_reader_browser.py clicks
the copy buttons in Chromium and reads the real clipboard.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from guiderunner.cli.main import main
from guiderunner.model import Block
from guiderunner.parse import parse_guide
from guiderunner.plan.commands import split_commands
from guiderunner.plan.expect import REGEX_SUFFIX, compile_line
from guiderunner.site.readable import regex_literal
from tests.e2e.site_helpers import copy_project

SECRET = "s3cr3t-value-42"
PAGE = r"""# Reader

Get [the sample](runner:sample) first.

```console
$ echo one
one
$ printf '%s\n' a b \
>   c
a
b
c
$ date +%Y
[0-9]{4} (re)
$ seq 1 20
1
...
20
$ echo "took $((RANDOM % 50 + 10)) ms"
took ... ms
$ echo "token: $DEMO_TOKEN"
token: ...
```

```console
$ cat > greeting.txt <<'EOF'
> Hello, $USER
> EOF
$ cat greeting.txt
Hello, $USER
$ cat <<'EOF' > notes.txt
first line
  indented second
EOF
$ wc -l < notes.txt
2
```

1. Check the kernel:

    ```console
    $ uname -s
    [A-Z][a-z]+ (re)
    ```

<!-- runner: skip="needs a licence server: not verified here" -->
```console
$ licence-check --online
licence ... ok
```

<!-- runner: exit=3 -->
```console
$ bash -c 'exit 3'
```

[Or clone the repository:](runner:clone)
"""
REPOSITORY = "https://example.org/stockkube.git"
COMMANDS = (
    "echo one\n"
    "printf '%s\\n' a b \\\n  c\n"
    "date +%Y\n"
    "seq 1 20\n"
    'echo "took $((RANDOM % 50 + 10)) ms"\n'
    'echo "token: $DEMO_TOKEN"'
)
HEREDOCS = (
    "cat > greeting.txt <<'EOF'\nHello, $USER\nEOF\n"
    "cat greeting.txt\n"
    "cat <<'EOF' > notes.txt\nfirst line\n  indented second\nEOF\n"
    "wc -l < notes.txt"
)


def publish_fixture(where: Path, *, report: bool = True) -> Path:
    """The project with the fixture page, verified (a real run) and published: its site."""
    project = copy_project(where)
    (project / "docs" / "reader.md").write_text(PAGE, encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("  - run-in-ci.md\n", "  - run-in-ci.md\n  - reader.md\n")
    text = text.replace(
        "      timeout: 120\n",
        f"      timeout: 120\n      repository: {REPOSITORY}\n"
        f"      env:\n        DEMO_TOKEN: {SECRET}\n",
    )
    config.write_text(text, encoding="utf-8")
    args = ["--config", str(config)]
    if report:
        path = project / "report.json"
        page = str(project / "docs" / "reader.md")
        assert main(["verify", *args, "--no-cache", "--json", str(path), page]) == 0
        assert SECRET not in path.read_text(encoding="utf-8")
        args += ["--report", str(path)]
    assert main(["publish", *args]) == 0
    return project / "site"


class ConsoleText(HTMLParser):
    """The text of each console block (its `data-copy` holder) of a built page."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._depth:
            self._depth += tag not in ("br", "img", "input")
        elif tag == "div" and "language-console" in (dict(attrs).get("class") or ""):
            self._depth = 1
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.blocks[-1] += data


def unreadable_patterns(docs: Path) -> set[str]:
    """Every expected line of every page that is a pattern no run could print as it is."""
    found = set()
    for page in docs.rglob("*.md"):
        for item in parse_guide(page.name, page.read_text(encoding="utf-8")).items:
            if not isinstance(item, Block) or item.kind != "console":
                continue
            for command in split_commands(item):
                for line in command.output:
                    pattern = compile_line(line, regex=item.options.regex)
                    source = line.removesuffix(REGEX_SUFFIX)
                    if pattern.kind == "regex" and regex_literal(source) is None:
                        found.add(source.strip())
    return found


def console_texts(page: Path) -> list[str]:
    """The text of each console block of a built page, as a reader reads it."""
    parser = ConsoleText()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.blocks
