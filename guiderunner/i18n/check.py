"""Catalog + fresh messages + glossary -> statistics and findings. Pure: no I/O.

Each rule is a small function from (English, French, glossary) to problems, listed in RULES:
what a translation must keep (code, URLs, link targets, protected names, flags, numbers),
what it must use or avoid (the glossary), and French typography outside code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from guiderunner.i18n.consistency import page_findings
from guiderunner.i18n.model import Catalog, Entry, Finding, Glossary, PageStats
from guiderunner.i18n.terms import (
    CODE_SPAN,
    IMAGE_OR_HOST,
    LINK_TARGET,
    NO_BREAK,
    URL,
    english_prose,
    french_prose,
    has_term,
    masked,
    quoted,
    word_pattern,
)

Rule = Callable[[str, str, Glossary], Iterator[str]]

FLAG = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
NUMBER = re.compile(r"(?<![\w.])(?:\d+(?:\.\d+)+|\d{2,})(?!\w|\.\d)")
BLOCK_START = re.compile(r"^(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>|!!!|\?\?\?|:\s|\s{4})")
NARROW = "\u202f"
AFTER_PUNCTUATION = r"(?=[\s*_)\]»]|$)"


def kept_intact(english: str, french: str, glossary: Glossary) -> Iterator[str]:
    """Code spans, URLs, link targets and protected names must reach the French unchanged."""
    for kind, token, pattern in _protected(english, glossary):
        if not re.search(pattern, french):
            yield f"{kind} {token} must appear unchanged in the translation"


def glossary_terms(english: str, french: str, glossary: Glossary) -> Iterator[str]:
    """Required renderings: an English term calls for one of its French renderings."""
    for term in glossary.terms:
        if has_term(term.english, english_prose(english, term, glossary)) and not has_term(
            term.french, french_prose(english, french, term, glossary)
        ):
            yield f"glossary: {term.english[0]!r} is translated {quoted(term.french)}"


def avoided_renderings(english: str, french: str, glossary: Glossary) -> Iterator[str]:
    """Renderings a term rules out, such as « statut de sortie » for 'exit status'."""
    for term in glossary.terms:
        if not term.avoid or not has_term(term.english, english_prose(english, term, glossary)):
            continue
        prose = french_prose(english, french, term, glossary)
        for word in term.avoid:
            if has_term((word,), prose):
                why = f" ({term.note})" if term.note else ""
                yield (
                    f"glossary: {term.english[0]!r} is {quoted(term.french)}, "
                    f"not {quoted((word,))}{why}"
                )


def forbidden_words(english: str, french: str, glossary: Glossary) -> Iterator[str]:
    """Words the glossary rules out, such as a translated product name."""
    prose = masked(french, glossary.protected)
    for word, reason in glossary.forbidden:
        if re.search(rf"(?<!\w){re.escape(word)}", prose, re.IGNORECASE):
            yield f"glossary: forbidden word {word!r}: {reason}"


def typography(english: str, french: str, glossary: Glossary) -> Iterator[str]:
    """French spacing: U+00A0 before ':', U+202F before '; ! ?', « guillemets » spaced."""
    prose = masked(french)
    if re.search(rf"(?<!{NO_BREAK}):{AFTER_PUNCTUATION}", prose):
        yield "typography: a no-break space (U+00A0) goes before ':'"
    for mark in sorted(set(re.findall(rf"(?<!{NARROW})([;!?]){AFTER_PUNCTUATION}", prose))):
        yield f"typography: a narrow no-break space (U+202F) goes before '{mark}'"
    if re.search(rf"«(?![{NO_BREAK}{NARROW}])|(?<![{NO_BREAK}{NARROW}])»", prose):
        yield "typography: « guillemets » take no-break spaces inside"
    if re.search(r"[\"“”]", prose):
        yield 'typography: quote with « guillemets », not " or “ ”'


def block_structure(english: str, french: str, glossary: Glossary) -> Iterator[str]:
    """A translation must not start a list, heading or quote the English does not have."""
    if BLOCK_START.match(french) and not BLOCK_START.match(english):
        yield "starts like a Markdown block (list, heading, quote): rephrase or escape it"


RULES: tuple[tuple[str, Rule], ...] = (
    ("kept intact", kept_intact),
    ("glossary terms", glossary_terms),
    ("avoided renderings", avoided_renderings),
    ("forbidden words", forbidden_words),
    ("typography", typography),
    ("block structure", block_structure),
)
"""Every check a translated message goes through, in order."""


def check_entry(entry: Entry, glossary: Glossary) -> tuple[str, ...]:
    """Problems with one translated message."""
    return tuple(
        problem for _, rule in RULES for problem in rule(entry.msgid, entry.msgstr, glossary)
    )


def check_page(
    page: str, po_path: str, catalog: Catalog | None, fresh: Sequence[Entry], glossary: Glossary
) -> tuple[PageStats, tuple[Finding, ...], tuple[Finding, ...]]:
    """Statistics, violations and pending (fuzzy, untranslated, missing) messages of a page."""
    if catalog is None:
        missing = Finding(po_path, 1, f"no catalog for {page}: run `runner i18n update`")
        return PageStats(page, len(fresh), 0, 0), (missing,), ()
    glossary = glossary.for_page(page)
    by_id = {entry.msgid: entry for entry in catalog.active}
    violations: list[Finding] = []
    pending: list[Finding] = []
    reviewed: list[Entry] = []
    translated = fuzzy = 0
    for message in fresh:
        entry = by_id.get(message.msgid)
        if entry is None:
            where = message.occurrences[0] if message.occurrences else f"{page}:1"
            pending.append(Finding(po_path, 1, f"not in the catalog ({where}): {_short(message)}"))
        elif entry.fuzzy and entry.msgstr:
            fuzzy += 1
            pending.append(Finding(po_path, entry.line, f"fuzzy: {_short(entry)}"))
        elif not entry.msgstr:
            pending.append(Finding(po_path, entry.line, f"untranslated: {_short(entry)}"))
        else:
            translated += 1
            reviewed.append(entry)
            violations.extend(Finding(po_path, entry.line, p) for p in check_entry(entry, glossary))
    violations.extend(page_findings(po_path, reviewed, glossary))
    return PageStats(page, len(fresh), translated, fuzzy), tuple(violations), tuple(pending)


def _protected(english: str, glossary: Glossary) -> Iterator[tuple[str, str, str]]:
    """(kind, token, pattern to find it in the French) for each thing to keep, once each."""
    code_free, prose = masked_code(english), masked(english)
    exact = [
        *(("code", m[0]) for m in CODE_SPAN.finditer(english)),
        *(("URL", m[0]) for m in URL.finditer(code_free)),
        *(("link target", m[1] or m[2]) for m in LINK_TARGET.finditer(code_free)),
        *(("name", m[0]) for m in IMAGE_OR_HOST.finditer(code_free)),
        *(("option", m[0]) for m in FLAG.finditer(prose)),
    ]
    found = [
        *((kind, token, re.escape(token)) for kind, token in exact),
        *(
            ("name", n, word_pattern(n))
            for n in glossary.protected
            if re.search(word_pattern(n), prose)
        ),
        *(("number", m[0], _number(m[0])) for m in NUMBER.finditer(prose)),
    ]
    seen: set[str] = set()
    for kind, token, pattern in found:
        if token not in seen:
            seen.add(token)
            yield kind, token, pattern


def masked_code(text: str) -> str:
    """Text with its code spans blanked, so URLs and names inside code are not counted twice."""
    return CODE_SPAN.sub(lambda m: "_" * len(m[0]), text)


def _number(token: str) -> str:
    """A number as the French may write it: `1.02` may become `1,02` (decimal comma)."""
    spelled = re.escape(token)
    if re.fullmatch(r"\d+\.\d+", token):
        spelled = f"(?:{spelled}|{re.escape(token.replace('.', ','))})"
    return rf"(?<![\d.,]){spelled}(?![\d]|[.,]\d)"


def _short(entry: Entry) -> str:
    text = " ".join(entry.msgid.split())
    return text if len(text) <= 60 else text[:57] + "..."
