"""English page + translations -> translated page, with everything but the prose byte-identical.

Only the segments change, so a French page's code blocks, directives and hidden blocks are the
English ones by construction. Headings keep their English ids, so links and anchors survive.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from guiderunner.i18n.model import Catalog, Segment

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def usable_translations(catalog: Catalog | None) -> dict[str, str]:
    """English -> translation for the reviewed entries; fuzzy ones fall back to English."""
    if catalog is None:
        return {}
    return {entry.msgid: entry.msgstr for entry in catalog.active if entry.translated}


def translate_page(text: str, segments: Sequence[Segment], translations: Mapping[str, str]) -> str:
    """The page with each segment replaced by its translation, or kept when it has none."""
    pieces, position = [], 0
    for segment in sorted(segments, key=lambda s: s.start):
        pieces.append(text[position : segment.start])
        original = text[segment.start : segment.end]
        pieces.append(render_segment(segment, original, translations.get(segment.text)))
        position = segment.end
    pieces.append(text[position:])
    return "".join(pieces)


def render_segment(segment: Segment, original: str, translation: str | None) -> str:
    """What stands in place of one segment.

    >>> heading = Segment("heading", "Run it", 3, 2, 8, anchor="run-it")
    >>> render_segment(heading, "Run it", "Lancez-le")
    'Lancez-le {#run-it}'
    >>> render_segment(Segment("title", "Note", 1, 8, 8, implicit=True), "", "Remarque")
    ' "Remarque"'
    """
    if segment.implicit:
        return f' "{translation}"' if translation else original
    text = original if translation is None else _fitted(segment, translation)
    return text + (f" {{#{segment.anchor}}}" if segment.anchor else "")


def _fitted(segment: Segment, translation: str) -> str:
    """A translation shaped to its place: continuation lines indented, cell pipes escaped."""
    if segment.kind == "cell":
        translation = _UNESCAPED_PIPE.sub(r"\\|", translation.replace("\n", " "))
    if segment.kind in ("heading", "title", "term"):
        translation = " ".join(translation.split("\n"))
    return translation.replace("\n", "\n" + segment.indent)
