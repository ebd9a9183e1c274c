"""Segments + the previous catalog -> the new catalog, losing no translation.

Like `msgmerge`: an unchanged message keeps its translation; a changed one gets the French of
the most similar vanished message, marked fuzzy with that English kept as `#| msgid`; a
message gone from the page becomes obsolete; a new one starts untranslated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from difflib import SequenceMatcher

from guiderunner.i18n.model import Catalog, Entry, Segment

SIMILAR_ENOUGH = 0.6
"""Below this ratio a changed message starts untranslated rather than fuzzy."""

NOTES = {
    "heading": "heading",
    "term": "definition term",
    "cell": "table cell",
    "title": "admonition title",
}
"""Extracted comment per segment kind (paragraphs need none)."""

HEADER = (
    ("Project-Id-Version", "PACKAGE"),
    ("Language", "fr"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=UTF-8"),
    ("Content-Transfer-Encoding", "8bit"),
    ("Plural-Forms", "nplurals=2; plural=(n > 1);"),
)


def messages(page: str, segments: Iterable[Segment]) -> tuple[Entry, ...]:
    """One untranslated entry per distinct English text, with all its occurrences."""
    found: dict[str, Entry] = {}
    for segment in segments:
        where = f"{page}:{segment.line}"
        known = found.get(segment.text)
        if known is None:
            found[segment.text] = Entry(
                segment.text, occurrences=(where,), note=NOTES.get(segment.kind, "")
            )
        else:
            found[segment.text] = replace(known, occurrences=(*known.occurrences, where))
    return tuple(found.values())


def merge(
    old: Catalog | None, fresh: Sequence[Entry], language: str = "fr", project: str = "PACKAGE"
) -> Catalog:
    """The catalog for `fresh` messages, carrying every translation of `old` over.

    `project` names the catalog's project (`Project-Id-Version`: the site's name).
    """
    previous = old.entries if old is not None else ()
    by_id = {entry.msgid: entry for entry in previous}
    wanted = {entry.msgid for entry in fresh}
    vanished = [e for e in previous if e.msgid not in wanted and e.msgstr and not e.obsolete]
    used: set[str] = set()
    merged = []
    for entry in fresh:
        kept = by_id.get(entry.msgid)
        if kept is not None:
            merged.append(_carried(entry, kept))
            continue
        source = _most_similar(entry.msgid, vanished)
        if source is not None:
            used.add(source.msgid)
            merged.append(replace(entry, msgstr=source.msgstr, fuzzy=True, previous=source.msgid))
        else:
            merged.append(entry)
    obsolete = [
        replace(e, obsolete=True, occurrences=(), line=0)
        for e in previous
        if e.msgid not in wanted and e.msgid not in used and e.msgstr
    ]
    return Catalog(_header(old, language), (*merged, *obsolete))


def _carried(entry: Entry, kept: Entry) -> Entry:
    return replace(
        entry,
        msgstr=kept.msgstr,
        fuzzy=kept.fuzzy and bool(kept.msgstr),
        previous=kept.previous if kept.fuzzy else None,
        comment=kept.comment,
    )


def _most_similar(text: str, candidates: Sequence[Entry]) -> Entry | None:
    best, best_ratio = None, SIMILAR_ENOUGH
    for candidate in candidates:
        matcher = SequenceMatcher(None, text, candidate.msgid)
        if matcher.quick_ratio() >= best_ratio and matcher.ratio() >= best_ratio:
            best, best_ratio = candidate, matcher.ratio()
    return best


def _header(
    old: Catalog | None, language: str, project: str = "PACKAGE"
) -> tuple[tuple[str, str], ...]:
    fields = dict(HEADER)
    fields["Language"] = language
    fields["Project-Id-Version"] = project
    if old is not None:
        fields.update(old.header)
    return tuple(fields.items())
