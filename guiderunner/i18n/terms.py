"""Finding glossary terms in prose: code, links and protected names set aside.

Shared by the per-message rules (guiderunner.i18n.check) and the per-page rules
(guiderunner.i18n.consistency).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from guiderunner.i18n.model import Glossary, Term

CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
URL = re.compile(r"https?://[^\s<>)\]`]+[^\s<>)\]`.,;:!?»]")
LINK_TARGET = re.compile(r"(?<=\])\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|(?<=\])\[([^\]]+)\]")
HTML_TAG = re.compile(r"<[^<>\s][^<>]*>|&#?\w+;")
IMAGE_OR_HOST = re.compile(r"(?<![\w/:.-])[a-z0-9][\w.-]*(?:/[\w.-]+)*:\w[\w.-]*")
NO_BREAK = "\u00a0"
APOSTROPHE = "['\u2019]"
"""The apostrophe as a pattern: French text may use the straight or the typographic one."""


def masked(text: str, extra: Sequence[str] = ()) -> str:
    """Text with code, URLs, link targets, HTML and `extra` names blanked: what is prose.

    >>> masked("Run `docker ps`: see [it](https://x.org).")
    'Run ___________: see [it]_______________.'
    """
    text = _masked_markup(text)
    if extra:
        text = _names(tuple(extra)).sub(lambda m: "_" * len(m[0]), text)
    return text


@functools.lru_cache(maxsize=2048)
def _masked_markup(text: str) -> str:
    """Code, URLs, link targets and HTML blanked: the same message is masked once per term."""
    for pattern in (CODE_SPAN, LINK_TARGET, URL, HTML_TAG, IMAGE_OR_HOST):
        text = pattern.sub(lambda m: "_" * len(m[0]), text)
    return text


@functools.lru_cache(maxsize=1024)
def _names(names: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for all the names, longest first (where one holds another, it wins)."""
    ordered = sorted(names, key=lambda name: (-len(name), name))
    return re.compile("|".join(f"(?:{word_pattern(name)})" for name in ordered))


@functools.cache
def _compiled(pattern: str, flags: int) -> re.Pattern[str]:
    """A pattern compiled once: a check looks for thousands of them, beyond `re`'s own cache."""
    return re.compile(pattern, flags)


@functools.cache
def word_pattern(token: str) -> str:
    """A name as a whole-word regular expression; straight and typographic apostrophes match."""
    return rf"(?<![\w-]){_escaped(token)}(?![\w])"


def _escaped(text: str) -> str:
    """`re.escape`, with either apostrophe (U+0027, U+2019) matching both."""
    return APOSTROPHE.join(re.escape(part) for part in re.split(APOSTROPHE, text))


@functools.cache
def term_pattern(word: str) -> str:
    """A glossary word as a regular expression: whole words, `*` at the end for any ending.

    >>> bool(re.search(term_pattern("récupér*"), "récupérez-la"))
    True
    >>> bool(re.search(term_pattern("tag"), "tags")), bool(re.search(term_pattern("tag"), "a tag"))
    (False, True)
    >>> bool(re.search(term_pattern("contrôle d'intégrité"), "un contrôle d\u2019intégrité"))
    True
    """
    if word.endswith("*"):
        return rf"(?<![\w-]){_escaped(word[:-1])}\w*"
    return word_pattern(word)


def finds_term(word: str, text: str) -> bool:
    """Whether one glossary word is in `text`, case aside."""
    return _compiled(term_pattern(word), re.IGNORECASE).search(text) is not None


def has_term(words: Sequence[str], text: str) -> bool:
    """Whether one of a term's words is in `text`, case aside."""
    return any(finds_term(w, text) for w in words)


def term_prose(text: str, term: Term, glossary: Glossary) -> str:
    """The prose a term is looked for in: code, links and protected names blanked.

    A protected name that is part of the term itself stays (`NuGet` in 'NuGet package').
    """
    words = " ".join((*term.english, *term.french, *term.avoid)).lower()
    return masked(text, tuple(name for name in glossary.protected if name.lower() not in words))


@functools.lru_cache(maxsize=4096)
def english_prose(english: str, term: Term, glossary: Glossary) -> str:
    """The English a term is looked for in, longer terms first: 'step' is not in 'a CI step'.

    A longer glossary phrase that holds one of the term's words claims its text, so each
    stretch of English belongs to the longest term that fits it.
    """
    prose = term_prose(english, term, glossary)
    for phrase in _longer(term.english, tuple(p for t in glossary.terms for p in t.english)):
        prose = _blank(phrase, prose)
    return prose


def french_prose(english: str, french: str, term: Term, glossary: Glossary) -> str:
    """The French a term's renderings are looked for in, longer renderings first.

    A rendering of another term the English uses (« étape de CI » for 'CI step') claims its
    words: the « étape » inside it is not the 'stage' or 'step' of a shorter term.
    """
    prose = term_prose(french, term, glossary)
    others = tuple(
        word
        for other in glossary.terms
        if other is not term and has_term(other.english, english_prose(english, other, glossary))
        for word in other.french
    )
    for phrase in _longer((*term.french, *term.avoid), others):
        prose = _blank(phrase, prose)
    return prose


@functools.lru_cache(maxsize=4096)
def _longer(words: tuple[str, ...], phrases: tuple[str, ...]) -> tuple[str, ...]:
    """The phrases longer than one of `words` that hold it as a whole word, longest first."""
    found = {
        phrase
        for phrase in phrases
        for word in words
        if len(phrase) > len(word.rstrip("*")) and finds_term(word, phrase)
    }
    return tuple(sorted(found, key=lambda phrase: (-len(phrase), phrase)))


def _blank(phrase: str, text: str) -> str:
    pattern = _compiled(term_pattern(phrase), re.IGNORECASE)
    return pattern.sub(lambda m: "_" * len(m[0]), text)


def quoted(words: Sequence[str]) -> str:
    """« a » or « b », as the findings show French words."""
    return " or ".join(f"«{NO_BREAK}{word}{NO_BREAK}»" for word in words)
