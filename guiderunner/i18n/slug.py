"""Heading ids exactly as mkdocs' `toc` extension makes them, so French pages keep English ids."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import MutableSet

_NUMBERED = re.compile(r"^(.*)_([0-9]+)$")


def slugify(text: str, separator: str = "-") -> str:
    """The id Python-Markdown's default `toc.slugify` gives a heading's plain text.

    >>> slugify("Keep build output out of the image: .dockerignore")
    'keep-build-output-out-of-the-image-dockerignore'
    >>> slugify("Microsoft's .NET images")
    'microsofts-net-images'
    >>> slugify("Créer des images")
    'creer-des-images'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    kept = re.sub(r"[^\w\s-]", "", ascii_text).strip().lower()
    return re.sub(rf"[{separator}\s]+", separator, kept)


def unique(slug: str, used: MutableSet[str]) -> str:
    """Make `slug` unique among `used` the way `toc` does (`_1`, `_2`...), and record it.

    >>> used = set()
    >>> [unique("usage", used) for _ in range(3)]
    ['usage', 'usage_1', 'usage_2']
    """
    if slug in used or not slug:
        match = _NUMBERED.match(slug)
        base, count = (match[1], int(match[2])) if match else (slug, 0)
        count += 1
        while f"{base}_{count}" in used:
            count += 1
        slug = f"{base}_{count}"
    used.add(slug)
    return slug
