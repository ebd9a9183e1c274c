"""Secret values never leave the runner: every text anyone sees has them replaced by `***`.

A secret is the value of a variable of the runner's environment (or of the settings' `env`)
whose name matches one of the `secrets` patterns (by default `*_TOKEN`, `*_PASSWORD`,
`*_SECRET`, `*_KEY`). The mask is an output filter of the page lifecycle, so observations,
diffs, reports, JUnit, JSON, the presenter, `runner update` and recordings all see masked
text. Live output arrives in chunks, so a secret can be cut in two: `held_back` tells the
lifecycle how many trailing characters might be the start of one and must wait for the
next chunk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase

SHOWN = "***"
SHORTEST = 3  # shorter values ("1", "no") would mask ordinary output; they are not secrets


def secret_values(environ: Mapping[str, str], patterns: Iterable[str]) -> tuple[str, ...]:
    """Values of the variables whose names match a pattern, longest first.

    >>> from guiderunner.settings import DEFAULT_SECRETS
    >>> secret_values({"API_TOKEN": "abc123", "HOME": "/root", "X_KEY": ""}, DEFAULT_SECRETS)
    ('abc123',)
    """
    chosen = tuple(patterns)
    values = {
        value
        for name, value in environ.items()
        if len(value) >= SHORTEST and any(fnmatchcase(name, p) for p in chosen)
    }
    return tuple(sorted(values, key=lambda v: (-len(v), v)))


@dataclass(frozen=True, slots=True)
class SecretMask:
    """Replaces each secret value by `***` (an OutputFilter of guiderunner.run.seams)."""

    values: tuple[str, ...]
    """The secrets, longest first, so that a secret containing another is masked whole."""

    def __call__(self, text: str) -> str:
        """The text with every secret masked.

        >>> SecretMask(("s3cr3t",))("token=s3cr3t!")
        'token=***!'
        """
        for value in self.values:
            if value in text:
                text = text.replace(value, SHOWN)
        return text

    def held_back(self, text: str) -> int:
        """How many trailing characters of `text` could begin a secret (wait for more).

        >>> SecretMask(("s3cr3t",)).held_back("token=s3c"), SecretMask(("s3cr3t",)).held_back("ok")
        (3, 0)
        """
        longest = 0
        for value in self.values:
            for size in range(min(len(value) - 1, len(text)), longest, -1):
                if text.endswith(value[:size]):
                    longest = size
                    break
        return longest
