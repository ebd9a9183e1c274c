r"""Which base images a page uses, read from its plan and its sample solution, without running it.

An image counts when the page depends on what it holds:

- the FROM lines, and `COPY --from=` of another image, of every Dockerfile the page writes
  (a titled block named `Dockerfile`, `*.Dockerfile` or `Dockerfile.*`) or that its sample
  solution holds; build stage names, `scratch` and names with a `$` (build arguments) are left
  out;
- the image of every `docker run` (or `docker container run`) command;

minus the images the page makes itself (`docker build -t`, `docker tag`): those are its
product, not its base. Names are kept as the page writes them, in order, each once.

>>> from guiderunner.model import Plan, Span, WriteFile
>>> dockerfile = WriteFile(Span("p.md", 1, 3), "src/Dockerfile",
...     "FROM sdk:10 AS build\nRUN make\nFROM aspnet:10\nCOPY --from=build /app .\n")
>>> images_used(Plan("p.md", (dockerfile,), uses_docker=True), None)
('sdk:10', 'aspnet:10')
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterable, Iterator
from pathlib import Path

from guiderunner.model import Command, Plan, StartService, WriteFile

SKIPPED_FOLDERS = frozenset({"bin", "obj", ".git", "node_modules"})
SEPARATORS = frozenset({"&&", "||", ";", "|", "&", "(", ")", "\n"})
RUN_FLAGS = frozenset(
    {"--detach", "--interactive", "--tty", "--rm", "--init", "--privileged", "--publish-all",
     "--read-only", "--sig-proxy", "--disable-content-trust", "--no-healthcheck",
     "--oom-kill-disable", "--help", "--quiet"}
)  # fmt: skip
"""docker run's long options that take no value (the others take one, unless given `=`)."""
RUN_SHORT_VALUES = frozenset("acehlmpuvw")
"""docker run's one-letter options that take a value (`-p 80:80`, `-e A=1`)."""


def images_used(plan: Plan, sample: Path | None) -> tuple[str, ...]:
    """The base images the page uses, in order, without those it builds or tags itself."""
    named: list[str] = []
    made: set[str] = set()
    for text in _dockerfiles(plan, sample):
        named += from_images(text)
    for command in _commands(plan):
        for words in simple_commands(command):
            named += run_images(words)
            made.update(made_images(words))
    made_names = {normal(name) for name in made}
    return tuple(dict.fromkeys(n for n in named if normal(n) not in made_names))


def from_images(dockerfile: str) -> list[str]:
    r"""The images a Dockerfile builds from (FROM, `COPY --from=`), not its own stages.

    >>> from_images("FROM --platform=$P a:1 AS b\nFROM b\nCOPY --from=c:2 /x /y\nFROM scratch")
    ['a:1', 'c:2']
    """
    stages: set[str] = set()
    found: list[str] = []
    text = re.sub(r"\\\n", " ", dockerfile)
    for line in text.splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        instruction = words[0].upper()
        if instruction == "FROM":
            rest = [w for w in words[1:] if not w.startswith("--")]
            if rest:
                found.append(rest[0])
            if len(rest) >= 3 and rest[1].upper() == "AS":
                stages.add(rest[2].lower())
        elif instruction in ("COPY", "ADD"):
            found += [w.split("=", 1)[1] for w in words[1:] if w.startswith("--from=")]
    return [
        name
        for name in found
        if name.lower() not in stages and name != "scratch" and "$" not in name
        and not name.isdigit()
    ]  # fmt: skip


def simple_commands(command: str) -> Iterator[list[str]]:
    """The words of each simple command of a shell line (split at `&&`, `;`, `|`, …).

    >>> list(simple_commands("cd x && docker run -d a:1; echo 'b c'"))
    [['cd', 'x'], ['docker', 'run', '-d', 'a:1'], ['echo', 'b c']]
    """
    lexer = shlex.shlex(command.replace("\\\n", " "), posix=True, punctuation_chars=True)
    lexer.whitespace = " \t\r"
    lexer.wordchars += ":@%+,{}[]^!$"
    words: list[str] = []
    try:
        for token in lexer:
            if token in SEPARATORS or set(token) <= set("&|;()\n"):
                if words:
                    yield words
                words = []
            else:
                words.append(token)
    except ValueError:
        pass  # an unfinished quote: what came before still counts
    if words:
        yield words


def run_images(words: list[str]) -> list[str]:
    """The image a `docker run` starts, as a list of none or one.

    >>> run_images(["docker", "run", "-ti", "--rm", "-p", "5000:8080", "-e", "A=1", "x:1", "sh"])
    ['x:1']
    >>> run_images(["docker", "container", "run", "--name=a", "--network", "n", "y"])
    ['y']
    """
    rest = _subcommand(words, ("run",), ("container", "run"))
    if rest is None:
        return []
    index = 0
    while index < len(rest):
        word = rest[index]
        if word == "--":
            index += 1
            break
        if not word.startswith("-") or word == "-":
            break
        index += 1 + _takes_value(word)
    image = rest[index] if index < len(rest) else ""
    return [image] if image and "$" not in image else []


def made_images(words: list[str]) -> list[str]:
    """The names a `docker build -t` or `docker tag` gives.

    >>> made_images(["docker", "build", "-f", "D", "-t", "a:1", "--tag=b", "."])
    ['a:1', 'b']
    >>> made_images(["docker", "tag", "a:1", "reg/a:1"])
    ['reg/a:1']
    """
    tagged = _subcommand(words, ("tag",), ("image", "tag"))
    if tagged is not None:
        return tagged[1:2]
    built = _subcommand(words, ("build",), ("image", "build"), ("buildx", "build"))
    if built is None:
        return []
    names = []
    for index, word in enumerate(built):
        if word in ("-t", "--tag") and index + 1 < len(built):
            names.append(built[index + 1])
        elif word.startswith("--tag="):
            names.append(word.split("=", 1)[1])
        elif word.startswith("-t") and len(word) > 2 and not word.startswith("--"):
            names.append(word[2:])
    return names


def normal(name: str) -> str:
    """A name as the engine files it: Docker Hub's prefixes dropped, `:latest` when untagged.

    >>> normal("docker.io/library/ubuntu"), normal("reg:5000/a"), normal("a@sha256:1")
    ('ubuntu:latest', 'reg:5000/a:latest', 'a@sha256:1')
    """
    name = name.removeprefix("docker.io/").removeprefix("library/")
    if "@" in name or ":" in name.rsplit("/", 1)[-1]:
        return name
    return name + ":latest"


def _subcommand(words: list[str], *forms: tuple[str, ...]) -> list[str] | None:
    """The words after `docker FORM` (e.g. `docker container run`), or None."""
    if not words or Path(words[0]).name != "docker":
        return None
    for form in forms:
        if tuple(words[1 : 1 + len(form)]) == form:
            return words[1 + len(form) :]
    return None


def _takes_value(option: str) -> int:
    """1 when a docker run option takes the next word as its value, else 0."""
    if "=" in option:
        return 0
    if option.startswith("--"):
        return 0 if option in RUN_FLAGS else 1
    letters = option[1:]
    for position, letter in enumerate(letters):
        if letter in RUN_SHORT_VALUES:
            return 1 if position == len(letters) - 1 else 0
    return 0


def _dockerfiles(plan: Plan, sample: Path | None) -> Iterable[str]:
    for step in plan.steps:
        if isinstance(step, WriteFile) and is_dockerfile(step.path):
            yield step.content
    if sample is None or not sample.is_dir():
        return
    for folder, names, files in os.walk(sample):
        names[:] = sorted(n for n in names if n not in SKIPPED_FOLDERS)
        for name in sorted(files):
            if is_dockerfile(name):
                yield (Path(folder) / name).read_text(encoding="utf-8", errors="replace")


def is_dockerfile(path: str) -> bool:
    """`Dockerfile`, `web.Dockerfile`, `Dockerfile.prod` (any folder).

    >>> is_dockerfile("src/StockData/Dockerfile"), is_dockerfile("Dockerfile.md")
    (True, False)
    """
    name = Path(path).name.lower()
    if name.endswith((".md", ".txt", ".yml", ".yaml")):
        return False
    return name == "dockerfile" or name.endswith(".dockerfile") or name.startswith("dockerfile.")


def _commands(plan: Plan) -> Iterator[str]:
    for step in plan.steps:
        if isinstance(step, Command | StartService):
            yield step.text
