"""A language's YAML files in translations/<lang>/: the glossary and the site's own strings.

glossary.yml:

    protected: [Docker, Dockerfile, Kubernetes]    # kept as they are
    terms:                                         # required renderings
      - english: [container, containers]
        french: [conteneur, conteneurs]            # `word*`: any ending (verbs)
        avoid: [containeur]                        # renderings ruled out for this term
      - english: [stage, stages]
        french: [étape, étapes]
        reserved: true                             # « étape » means 'stage' and nothing else
    forbidden:                                     # never used, with the reason
      arrimeur: "Docker is a name: it is not translated"

site.yml: `site_name` and `site_description` of the translated site, and every other word it
shows outside its pages (`strings`, `badge`, `theme`: see guiderunner.site.strings).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from guiderunner.errors import UsageError
from guiderunner.i18n.model import Glossary, Term
from guiderunner.i18n.terms import finds_term


def load_glossary(path: Path) -> Glossary:
    """The glossary, or an empty one when the file does not exist."""
    data = read_mapping(path)
    return Glossary(
        protected=_strings(path, data.get("protected")),
        terms=tuple(term for item in _list(path, data.get("terms")) for term in _terms(path, item)),
        forbidden=tuple(
            (str(word), str(reason)) for word, reason in _dict(path, data.get("forbidden")).items()
        ),
    )


def read_mapping(path: Path) -> dict[str, Any]:
    """A YAML file's top-level mapping; empty when the file does not exist."""
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error}") from None
    except yaml.YAMLError as error:
        raise UsageError(f"{path}: invalid YAML: {error}") from None
    return _dict(path, data)


TERM_KEYS = frozenset({"english", "french", "avoid", "reserved", "note", "pages", "contexts"})


def _terms(path: Path, item: object) -> list[Term]:
    """A glossary entry: its term, then one term per context (a longer English phrase).

    A context such as 'CI step' under 'step' is matched before the shorter word (longest term
    first, guiderunner.i18n.terms), so each context has its own renderings without a false
    report. It applies to the pages of its term, unless it names its own `pages`.
    """
    term = _term(path, item, TERM_KEYS)
    found = [term]
    for context in _list(path, _dict(path, item).get("contexts")):
        inner = _term(path, context, TERM_KEYS - {"contexts"})
        if not any(finds_term(word, phrase) for word in term.english for phrase in inner.english):
            raise UsageError(
                f"{path}: context {inner.english[0]!r} of {term.english[0]!r} must contain "
                f"one of {', '.join(repr(w) for w in term.english)}"
            )
        found.append(inner if inner.pages else replace(inner, pages=term.pages))
    return found


def _term(path: Path, item: object, keys: frozenset[str]) -> Term:
    data = _dict(path, item)
    unknown = set(data) - keys
    if unknown:
        raise UsageError(f"{path}: unknown term key(s): {', '.join(sorted(unknown))}")
    english, french = _strings(path, data.get("english")), _strings(path, data.get("french"))
    if not english or not french:
        raise UsageError(f"{path}: each term needs `english` and `french` lists")
    reserved = data.get("reserved", False)
    if not isinstance(reserved, bool):
        raise UsageError(f"{path}: `reserved` of {english[0]!r} must be true or false")
    note = str(data.get("note") or "")
    pages = _strings(path, data.get("pages"))
    return Term(english, french, _strings(path, data.get("avoid")), reserved, note, pages)


def _dict(path: Path, value: object) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UsageError(f"{path}: expected a mapping, got {value!r}")
    return value


def _list(path: Path, value: object) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise UsageError(f"{path}: expected a list, got {value!r}")
    return value


def _strings(path: Path, value: object) -> tuple[str, ...]:
    return tuple(str(item) for item in _list(path, value))
