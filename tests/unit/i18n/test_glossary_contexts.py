"""The glossary check matches longer terms first, and a term may have per-context renderings."""

from __future__ import annotations

from pathlib import Path

import pytest

from guiderunner.errors import UsageError
from guiderunner.i18n.check import check_entry, check_page
from guiderunner.i18n.consistency import page_findings
from guiderunner.i18n.language import load_glossary
from guiderunner.i18n.model import Catalog, Entry, Glossary, Term

STAGE = Term(("stage", "stages"), ("étape", "étapes"), reserved=True)
STEP = Term(("step", "steps"), ("étape", "étapes", "instruction", "instructions"))
CI_STEP = Term(("CI step", "CI steps"), ("étape de CI", "étapes de CI"), avoid=("instruction",))
GLOSSARY = Glossary(terms=(STAGE, STEP, CI_STEP))


def _page(*pairs: tuple[str, str]) -> tuple[Entry, ...]:
    return tuple(Entry(en, fr, line=10 * n) for n, (en, fr) in enumerate(pairs, 1))


def test_a_longer_term_is_matched_before_the_word_it_holds() -> None:
    """'a CI step' is a CI step, not a step: « étape de CI » is right, beside a stage."""
    entries = _page(
        ("The build stage compiles.", "L'étape de build compile."),
        ("Add a CI step that runs it.", "Ajoutez une étape de CI qui le lance."),
    )
    assert page_findings("fr/c.po", entries, GLOSSARY) == ()
    assert check_entry(entries[1], GLOSSARY) == ()


def test_the_longer_term_still_requires_its_own_rendering() -> None:
    entry = Entry("Add a CI step that runs it.", "Ajoutez une instruction de votre CI.")
    problems = check_entry(entry, GLOSSARY)
    assert any("'CI step' is translated" in p for p in problems), problems
    assert any("not «\u00a0instruction\u00a0»" in p for p in problems), problems


def test_the_shorter_word_outside_the_longer_term_is_still_checked() -> None:
    """A message with both: the bare 'step' must still be rendered, and a stage not misused."""
    entries = _page(
        ("The final stage is small.", "L'étape finale est petite."),
        (
            "This step runs before the CI step.",
            "Cette étape passe avant l'étape de CI.",
        ),
    )
    (finding,) = page_findings("fr/c.po", entries, GLOSSARY)
    assert finding.line == 20
    assert "stands for 'stage' only" in finding.message


def test_consistency_counts_a_context_apart_from_its_word() -> None:
    """« étape de CI » and « instruction » for a page step are not two renderings of 'step'."""
    entries = _page(
        ("Each step is numbered.", "Chaque instruction est numérotée."),
        ("The next step prints it.", "L'instruction suivante l'affiche."),
        ("A CI step calls runner.", "Une étape de CI appelle runner."),
    )
    assert page_findings("fr/c.po", entries, Glossary(terms=(STEP, CI_STEP))) == ()


def test_a_term_limited_to_pages_is_not_checked_elsewhere() -> None:
    only_chapter = Term(("step",), ("instruction",), pages=("chapter.md",))
    glossary = Glossary(terms=(only_chapter,))
    entry = Entry("One step.", "Une étape.", line=3)
    catalog = Catalog((), (entry,))
    _, elsewhere, _ = check_page("other.md", "fr/o.po", catalog, (entry,), glossary)
    _, there, _ = check_page("chapter.md", "fr/c.po", catalog, (entry,), glossary)
    assert elsewhere == ()
    assert [f.line for f in there] == [3]


def test_contexts_in_the_glossary_file(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yml"
    path.write_text(
        "terms:\n"
        "  - english: [step, steps]\n"
        "    french: [étape, étapes]\n"
        "    pages: [index.md]\n"
        "    contexts:\n"
        "      - english: [CI step, CI steps]\n"
        "        french: [étape de CI, étapes de CI]\n",
        encoding="utf-8",
    )
    step, ci_step = load_glossary(path).terms
    assert ci_step.english == ("CI step", "CI steps")
    assert ci_step.pages == ("index.md",)
    assert step.pages == ("index.md",)


def test_a_context_must_hold_its_term(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yml"
    path.write_text(
        "terms:\n  - english: [step]\n    french: [étape]\n"
        "    contexts:\n      - english: [stage]\n        french: [phase]\n",
        encoding="utf-8",
    )
    with pytest.raises(UsageError, match="context 'stage' of 'step' must contain"):
        load_glossary(path)
