r"""Secret values never leave the runner: every text anyone sees has them replaced by `***`.

A secret is the value of a variable whose name matches one of the `secrets` patterns (by
default `*_TOKEN`, `*_PASSWORD`, `*_SECRET`, `*_KEY`): in the runner's environment, the
settings' `env`, a `--set` value, or one the page sets itself (`export DB_PASSWORD=...`),
learnt while the page runs (`SecretMask.learn`).

The mask is an output filter of the page lifecycle, so observations, diffs, reports, JUnit,
JSON, the presenter, `runner update` and recordings all see masked text. It matches what a
terminal *shows*, not only the bytes: colour codes, other escape sequences and characters
overwritten with a backspace may sit between a secret's characters, and a line break in a
multi-line value may arrive as `\r\n`. Live output arrives in chunks, so a secret can be cut
in two: `held_back` tells the lifecycle how many trailing characters might be the start of
one and must wait for the next chunk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from fnmatch import fnmatchcase

SHOWN = "***"
SHORTEST = 3  # shorter values ("1", "no") would mask ordinary output; they are not secrets

INVISIBLE = (
    r"(?:\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, links
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
    r"|[^\x08\r\n]\x08)*"  # a character written, then overwritten after a backspace
)
"""What a terminal may receive between two characters of a secret and still show it whole."""

_ESCAPE = re.compile(INVISIBLE[3:-2])


def secret_values(environ: Mapping[str, str], patterns: Iterable[str]) -> tuple[str, ...]:
    """Values of the variables whose names match a pattern, longest first.

    >>> from guiderunner.settings import DEFAULT_SECRETS
    >>> secret_values({"API_TOKEN": "abc123", "HOME": "/root", "X_KEY": ""}, DEFAULT_SECRETS)
    ('abc123',)
    """
    chosen = tuple(patterns)
    return _longest_first(
        value
        for name, value in environ.items()
        if len(value) >= SHORTEST and is_secret_name(name, chosen)
    )


def is_secret_name(name: str, patterns: Iterable[str]) -> bool:
    """Does a variable's name say it holds a secret?

    >>> is_secret_name("DB_PASSWORD", ("*_PASSWORD",)), is_secret_name("USER", ("*_PASSWORD",))
    (True, False)
    """
    return any(fnmatchcase(name, pattern) for pattern in patterns)


_ASSIGNMENT = re.compile(
    r"""(?:^|[\s;&|(])(?:(?:export|declare|typeset|local|readonly)(?:\s+-\w+)*\s+)?
    (?P<name>[A-Za-z_]\w*)=
    (?P<value>'[^']*'|"(?:[^"\\]|\\.)*"|(?:[^\s;&|()'"\\]|\\.)+)?""",
    re.VERBOSE,
)
_READ = re.compile(
    r"(?:^|[\s;&|(])read(?:\s+-\w+(?:\s+\S+)?)*\s+(?P<names>[A-Za-z_]\w*(?:\s+[A-Za-z_]\w*)*)"
)


def assigned_secrets(command: str, patterns: Iterable[str]) -> Iterator[tuple[str, str | None]]:
    """Secret-named variables a command sets, each with its literal value or None.

    None: only the shell knows the value (`$(...)`, `$VAR`, `read`).

    >>> list(assigned_secrets("export DB_PASSWORD='hunter2!'; X=1", ("*_PASSWORD",)))
    [('DB_PASSWORD', 'hunter2!')]
    >>> list(assigned_secrets('API_TOKEN="$(cat t)" curl x', ("*_TOKEN",)))
    [('API_TOKEN', None)]
    >>> list(assigned_secrets("read -rs MY_SECRET", ("*_SECRET",)))
    [('MY_SECRET', None)]
    """
    if "=" not in command and "read" not in command:
        return  # most commands: neither an assignment nor a `read` to look at
    chosen = tuple(patterns)
    for match in _ASSIGNMENT.finditer(command):
        if is_secret_name(match["name"], chosen):
            yield match["name"], _literal(match["value"] or "")
    for match in _READ.finditer(command):
        for name in match["names"].split():
            if is_secret_name(name, chosen):
                yield name, None


def _literal(word: str) -> str | None:
    """A shell word's value when no expansion is needed to know it, else None."""
    if word.startswith("'") and word.endswith("'") and len(word) >= 2:
        return word[1:-1]
    if word.startswith('"') and word.endswith('"') and len(word) >= 2:
        word = word[1:-1]
        return None if re.search(r"(?<!\\)[$`]", word) else re.sub(r"\\([\\$`\"])", r"\1", word)
    if re.search(r"(?<!\\)[$`]", word):
        return None
    return re.sub(r"\\(.)", r"\1", word)


class SecretMask:
    """Replaces each secret value by `***` (an OutputFilter of guiderunner.run.seams).

    One mask serves a whole run: values learnt from one page stay secret in the next (a value
    never becomes less secret), and every filter made from it sees them at once.
    """

    __slots__ = ("_pattern", "patterns", "values")

    def __init__(self, values: Iterable[str] = (), patterns: Iterable[str] = ()) -> None:
        self.values: tuple[str, ...] = _longest_first(values)
        """The secrets, longest first, so that a secret containing another is masked whole."""
        self.patterns = tuple(patterns)
        """Names of variables that hold secrets: what a page sets under them is learnt."""
        self._pattern = _pattern(self.values)

    def learn(self, *values: str) -> None:
        """Add secrets found while the page runs (too short values are not secrets)."""
        new = [v for v in values if len(v) >= SHORTEST and v not in self.values]
        if new:
            self.values = _longest_first((*self.values, *new))
            self._pattern = _pattern(self.values)

    def __call__(self, text: str) -> str:
        r"""The text with every secret masked, as written or as a terminal would show it.

        >>> mask = SecretMask(("s3cr3t", "line one\nline two"))
        >>> mask("token=s3cr3t!"), mask("\x1b[01;31ms3\x1b[0mcr3t"), mask("s3cx\br3t")
        ('token=***!', '\x1b[01;31m***', '***')
        >>> mask("key: line one\r\nline two.")
        'key: ***.'
        """
        if self._pattern is None:
            return text
        return self._pattern.sub(SHOWN, text)

    def held_back(self, text: str) -> int:
        r"""How many trailing characters of `text` could begin a secret (wait for more).

        >>> SecretMask(("s3cr3t",)).held_back("token=s3c"), SecretMask(("s3cr3t",)).held_back("ok")
        (3, 0)
        >>> SecretMask(("s3cr3t",)).held_back("token=s3\x1b[0")
        5
        >>> SecretMask(("a\nsecret", "secret-2")).held_back("a\r\nsecret\r\n")
        2
        """
        if not self.values:
            return 0
        tail = text[-4 * len(self.values[0]) - 64 :]
        unfinished = tail.rfind("\x1b")
        if unfinished < 0 or _ESCAPE.match(tail, unfinished):
            unfinished = len(tail)  # no escape sequence waits for its end
        shown, where = _shown(tail[:unfinished])
        best = 0  # the longest start of a secret the shown text ends with, in shown characters
        for value in self.values:
            for size in range(len(value) - 1, 0, -1):
                start_of = value[:size].replace("\n", "")
                if len(start_of) <= best:
                    break
                if shown.endswith(start_of):
                    best = len(start_of)
                    break
        start = len(text) - len(tail) + (where[len(shown) - best] if best else unfinished)
        for whole in self._pattern.finditer(text) if self._pattern is not None else ():
            if whole.start() < start < whole.end():
                start = whole.end()  # never cut a secret that is already complete
        return max(len(text) - start, 0)


def _shown(text: str) -> tuple[str, list[int]]:
    """The characters a terminal shows of `text`, each with its index in `text`."""
    shown: list[str] = []
    where: list[int] = []
    index = 0
    while index < len(text):
        escape = _ESCAPE.match(text, index)
        if escape:
            index = escape.end()
            continue
        char = text[index]
        if char == "\b":
            if shown:
                shown.pop()
                where.pop()
        elif char not in "\r\n":
            shown.append(char)
            where.append(index)
        index += 1
    return "".join(shown), where


def _pattern(values: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regular expression for every secret, longest first, tolerant of what is invisible."""
    if not values:
        return None
    return re.compile("|".join(_one(value) for value in values))


def _one(value: str) -> str:
    pieces = [r"\r?\n" if char == "\n" else re.escape(char) for char in value if char != "\r"]
    return INVISIBLE.join(pieces)


def _longest_first(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(values), key=lambda v: (-len(v), v)))
