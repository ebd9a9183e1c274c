"""A page's translated messages + glossary -> findings no single message shows. Pure: no I/O.

Two rules look at a whole page, since that is where a reader meets the drift:

- one rendering per term: when a page renders 'exit status' as « code de sortie » in one
  message and « statut de sortie » in another, the reader sees two things, not one;
- reserved renderings: a term marked `reserved` (« étape » for a Dockerfile 'stage') owns its
  French words on every page that uses it, so « deux étapes plus tôt » for "two steps earlier"
  cannot point at a stage that does not exist.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence

from guiderunner.i18n.model import Entry, Finding, Glossary, Term
from guiderunner.i18n.terms import english_prose, finds_term, french_prose, has_term, quoted


def page_findings(
    po_path: str, entries: Sequence[Entry], glossary: Glossary
) -> tuple[Finding, ...]:
    """Consistency and reserved-rendering findings for a page's translated messages."""
    found: list[Finding] = []
    for term in glossary.terms:
        found.extend(_one_rendering(po_path, entries, term, glossary))
        if term.reserved:
            found.extend(_reserved(po_path, entries, term, glossary))
    return tuple(sorted(found, key=lambda f: f.line))


def rendering(word: str) -> str:
    """The rendering a form belongs to: plural endings dropped, case ignored.

    >>> rendering("Codes de sortie"), rendering("espaces réservés"), rendering("récupér*")
    ('code de sortie', 'espace réservé', 'récupér*')
    """
    parts = word.lower().replace("\u2019", "'").split()
    return " ".join(re.sub(r"(?<=\w{3})[sx]$", "", part) for part in parts)


def renderings_in(entry: Entry, term: Term, glossary: Glossary) -> list[str]:
    """The term's renderings (accepted or avoided) that a translation uses, in a stable order."""
    prose = french_prose(entry.msgid, entry.msgstr, term, glossary)
    used = {rendering(word) for word in (*term.french, *term.avoid) if finds_term(word, prose)}
    return sorted(used)


def _one_rendering(
    po_path: str, entries: Sequence[Entry], term: Term, glossary: Glossary
) -> Iterator[Finding]:
    """Messages that render the term, but not the way the rest of the page does.

    A message that also holds the usual rendering passes: its other words may translate
    something else (the avoided renderings catch two renderings inside one message).
    """
    used = [
        (entry, renderings_in(entry, term, glossary))
        for entry in entries
        if has_term(term.english, english_prose(entry.msgid, term, glossary))
    ]
    counts = Counter(word for _, words in used for word in words)
    if len(counts) < 2:
        return
    preferred = {rendering(word) for word in term.french}
    usual = max(counts, key=lambda word: (counts[word], word in preferred))
    first = next(entry.line for entry, words in used if usual in words)
    for entry, words in used:
        if words and usual not in words:
            yield Finding(
                po_path,
                entry.line,
                f"consistency: {term.english[0]!r} is {quoted(words[:1])} here but "
                f"{quoted((usual,))} at line {first}: one rendering per page",
            )


def _reserved(
    po_path: str, entries: Sequence[Entry], term: Term, glossary: Glossary
) -> Iterator[Finding]:
    """Messages that use a reserved rendering for something else than its term."""
    uses = [has_term(term.english, english_prose(e.msgid, term, glossary)) for e in entries]
    if not any(uses):
        return
    for entry, uses_term in zip(entries, uses, strict=True):
        if uses_term:
            continue
        if has_term(term.french, french_prose(entry.msgid, entry.msgstr, term, glossary)):
            yield Finding(
                po_path,
                entry.line,
                f"glossary: on this page {quoted(term.french[:1])} stands for "
                f"{term.english[0]!r} only, and this message has no {term.english[0]!r}: "
                "choose another word",
            )
