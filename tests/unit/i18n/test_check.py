"""Translation checks: kept tokens, glossary, French typography, thresholds, missing catalogs."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from guiderunner.cli.main import main
from guiderunner.errors import UsageError
from guiderunner.i18n.check import RULES, check_entry, check_page
from guiderunner.i18n.consistency import page_findings, rendering
from guiderunner.i18n.language import load_glossary
from guiderunner.i18n.model import Catalog, Entry, Glossary, Term
from tests.conftest import ROOT

PROJECT = Path(__file__).resolve().parents[2] / "fixtures" / "i18n" / "project"
GLOSSARY = load_glossary(PROJECT / "translations" / "fr" / "glossary.yml")
FRENCH = load_glossary(ROOT / "translations" / "fr" / "glossary.yml")
"""The project's own glossary: the rules the French edition is held to."""
NBSP, NNBSP = "\u00a0", "\u202f"


def _problems(english: str, french: str, glossary: Glossary = GLOSSARY) -> tuple[str, ...]:
    return check_entry(Entry(english, french), glossary)


def test_the_rules_are_a_visible_ordered_registry() -> None:
    assert [name for name, _ in RULES] == [
        "kept intact",
        "glossary terms",
        "avoided renderings",
        "forbidden words",
        "typography",
        "block structure",
    ]


def test_a_good_translation_passes() -> None:
    english = "Run `docker build -t stockdata:1.0.0 .` from the solution's folder: see [it](x.md)."
    french = (
        f"Lancez `docker build -t stockdata:1.0.0 .` depuis le dossier{NBSP}: voyez [ici](x.md)."
    )
    assert _problems(english, french) == ()


@pytest.mark.parametrize(
    ("english", "french", "problem"),
    [
        ("Run `docker build`.", "Lancez `docker construire`.", "code `docker build`"),
        (
            "See https://docs.docker.com/get-started/.",
            "Voir https://docs.docker.com/.",
            "URL https://docs.docker.com/get-started/",
        ),
        (
            "Read [the chapter](guide.md#options).",
            "Lisez [le chapitre](guide.md).",
            "link target guide.md#options",
        ),
        ("Docker runs it.", "docker l'exécute.", "name Docker"),
        ("The Dockerfile says it.", "Le fichier Docker le dit.", "name Dockerfile"),
        (
            "Tag it stockdata:1.0.0 first.",
            "Étiquetez-la stockdata:1.0 d'abord.",
            "name stockdata:1.0.0",
        ),
        ("Pass --no-restore to it.", "Passez-lui --sans-restore.", "option --no-restore"),
        (
            "Since .NET 10.0 it uses port 8080.",
            "Depuis .NET 10, il utilise le port 8080.",
            "number 10.0",
        ),
        ("It listens on 8080.", "Il écoute sur le 80.", "number 8080"),
    ],
)
def test_code_urls_links_and_protected_terms_must_stay_unchanged(
    english: str, french: str, problem: str
) -> None:
    assert f"{problem} must appear unchanged in the translation" in _problems(english, french)


def test_hyphenated_french_words_and_longer_numbers_are_not_mistaken() -> None:
    english, french = "The NASDAQ-100 list, version 24.04.", "La liste NASDAQ-100, version 24.04."
    assert _problems(english, french) == ()
    assert _problems("Use this one.", "Utilisez celle-ci, peut-être.") == ()


def test_glossary_terms_require_their_french_rendering() -> None:
    problems = _problems("Start a container.", "Démarrez un container.")
    wanted = f"«{NBSP}conteneur{NBSP}» or «{NBSP}conteneurs{NBSP}»"
    assert f"glossary: 'container' is translated {wanted}" in problems
    assert _problems("Start a container.", "Démarrez un conteneur.") == ()


def test_protected_names_do_not_trigger_glossary_terms() -> None:
    glossary = Glossary(protected=("Azure Container Registry",), terms=GLOSSARY.terms)
    assert (
        _problems(
            "Push to Azure Container Registry.", "Poussez vers Azure Container Registry.", glossary
        )
        == ()
    )


def test_a_forbidden_word_fails() -> None:
    (problem,) = _problems("Docker builds it.", "L'arrimeur Docker la construit.")
    assert problem == "glossary: forbidden word 'arrimeur': Docker is a name: it stays Docker"


@pytest.mark.parametrize(
    ("french", "problem"),
    [
        ("Voici la liste : tout.", "a no-break space (U+00A0) goes before ':'"),
        ("Voici la liste: tout.", "a no-break space (U+00A0) goes before ':'"),
        ("**Remarque :** tout.", "a no-break space (U+00A0) goes before ':'"),
        (f"Vraiment{NBSP}?", "a narrow no-break space (U+202F) goes before '?'"),
        ("Attention !", "a narrow no-break space (U+202F) goes before '!'"),
        ("Un; deux", "a narrow no-break space (U+202F) goes before ';'"),
        ("Il dit « oui ».", "« guillemets » take no-break spaces inside"),
        ('Il dit "oui".', 'quote with « guillemets », not " or “ ”'),
    ],
)
def test_french_typography(french: str, problem: str) -> None:
    assert f"typography: {problem}" in _problems("Some text.", french)


def test_typography_leaves_code_urls_versions_and_hosts_alone() -> None:
    english = "Run `a:b` on http://localhost:5000/?q=1 with image:10.0 and 5.0."
    french = "Lancez `a:b` sur http://localhost:5000/?q=1 avec image:10.0 et 5.0."
    assert _problems(english, french) == ()
    assert _problems("Good?", f"Bien{NNBSP}? «{NBSP}Oui{NBSP}»{NNBSP}!") == ()


def test_a_translation_that_starts_a_list_is_flagged() -> None:
    (problem,) = _problems("In 2021 it changed.", "- 2021 : changement.".replace(" :", f"{NBSP}:"))
    assert problem.startswith("starts like a Markdown block")


def test_check_page_counts_and_points_at_po_lines() -> None:
    catalog = Catalog(
        (),
        (
            Entry("Done.", "Fait.", line=10),
            Entry("Changed.", "Changé.", fuzzy=True, line=14),
            Entry("New.", "", line=18),
            Entry("Bad `code`.", "Mauvais `kode`.", line=22),
        ),
    )
    fresh = tuple(Entry(e.msgid, occurrences=("p.md:1",)) for e in catalog.entries)
    stats, violations, pending = check_page("p.md", "fr/p.po", catalog, fresh, Glossary())
    assert (stats.total, stats.translated, stats.fuzzy, stats.untranslated) == (4, 2, 1, 1)
    assert [str(v) for v in violations] == [
        "fr/p.po:22: code `code` must appear unchanged in the translation"
    ]
    assert [str(p) for p in pending] == [
        "fr/p.po:14: fuzzy: Changed.",
        "fr/p.po:18: untranslated: New.",
    ]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT, tmp_path / "project")
    return tmp_path / "project"


def _set_translation(po_path: Path, msgid: str, msgstr: str) -> int:
    po = polib.pofile(str(po_path))
    (entry,) = [e for e in po if e.msgid == msgid]
    entry.msgstr = msgstr
    po.save()
    text = po_path.read_text(encoding="utf-8").split("\n")
    return next(
        n for n, line in enumerate(text, 1) if line.startswith("msgstr") and n > entry.linenum
    )


def test_the_fixture_translation_passes_the_release_thresholds(project: Path) -> None:
    assert main(["i18n", "check", "--config", str(project / "mkdocs.yml")]) == 0


def test_an_altered_code_span_fails_with_its_po_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = project / "translations" / "fr" / "guide.po"
    line = _set_translation(
        po, "Makes `/src` the current folder.", "Fait de `/app` le dossier courant."
    )
    assert main(["i18n", "check", "--config", str(project / "mkdocs.yml")]) == 1
    out = capsys.readouterr().out
    assert f"translations/fr/guide.po:{line}: code `/src` must appear unchanged" in out


def test_a_forbidden_word_fails_with_its_po_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = project / "translations" / "fr" / "guide.po"
    line = _set_translation(
        po,
        "Build and run the container on the same Linux variant.",
        "Construisez et exécutez le conteneur sur le même ancrage Linux.",
    )
    assert main(["i18n", "check", "--config", str(project / "mkdocs.yml")]) == 1
    assert f"translations/fr/guide.po:{line}: glossary: forbidden word 'ancrage'" in (
        capsys.readouterr().out
    )


def test_a_new_page_is_a_warning_by_default_and_fails_when_configured(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "translations" / "fr" / "index.po").unlink()
    config = project / "mkdocs.yml"
    assert main(["i18n", "check", "--config", str(config)]) == 0
    assert "docs/index.md: warning: not translated yet into fr" in capsys.readouterr().out
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("translations: [fr]", "translations: [fr]\n      untranslated: fail")
    )
    assert main(["i18n", "check", "--config", str(config)]) == 1
    assert "docs/index.md: error: not translated yet into fr" in capsys.readouterr().out


def test_without_a_translation_configured_there_is_nothing_to_check(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("translations: [fr]", ""))
    assert main(["i18n", "check", "--config", str(config)]) == 0
    assert "no translation configured" in capsys.readouterr().out


def test_a_malformed_catalog_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = project / "translations" / "fr" / "index.po"
    broken.write_text('msgid "x"\nmsgstr\n', encoding="utf-8")
    assert main(["i18n", "check", "--config", str(project / "mkdocs.yml")]) == 2
    assert "index.po" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("english", "french", "problem"),
    [
        (
            "A command states its exit status.",
            "Une commande indique son statut de sortie.",
            "'exit status' is «\u00a0code de sortie\u00a0» or «\u00a0codes de sortie\u00a0», "
            "not «\u00a0statut de sortie\u00a0»",
        ),
        (
            "A placeholder without a value.",
            "Une variable de substitution sans valeur.",
            "'placeholder' is «\u00a0espace réservé\u00a0» or «\u00a0espaces réservés\u00a0», "
            "not «\u00a0variable de substitution\u00a0»",
        ),
        (
            "It downloads the NuGet packages.",
            "Il télécharge les paquets NuGet.",
            "'NuGet package' is «\u00a0package NuGet\u00a0» or «\u00a0packages NuGet\u00a0», "
            "not «\u00a0paquets NuGet\u00a0»",
        ),
        (
            "Pushing to Docker Hub is run when an account is set.",
            "L'envoi vers Docker Hub n'a lieu que si un compte existe.",
            "'push' is «\u00a0pouss*\u00a0», not «\u00a0envoi\u00a0»",
        ),
        (
            "The same stage shows it; a CI job can fail on such a list.",
            "La même étape le montre\u202f; une instruction de votre CI peut alors échouer.",
            "'CI job' is «\u00a0tâche de CI\u00a0» or «\u00a0tâches de CI\u00a0», "
            "not «\u00a0instruction de votre CI\u00a0»",
        ),
        (
            "A CI job can fail on it.",
            "Une étape de CI peut alors échouer.",
            "'CI job' is «\u00a0tâche de CI\u00a0» or «\u00a0tâches de CI\u00a0», "
            "not «\u00a0étape de CI\u00a0»",
        ),
        (
            "Both Dockerfiles restore a project.",
            "Les deux Dockerfiles restaurent un projet.",
            "forbidden word 'Dockerfiles': say « fichiers Dockerfile »",
        ),
    ],
)
def test_the_french_glossary_rules_out_second_renderings(
    english: str, french: str, problem: str
) -> None:
    found = _problems(english, french, FRENCH)
    assert any(p.startswith(f"glossary: {problem}") for p in found), found


def test_a_ci_job_beside_a_stage_is_a_tache_de_ci_on_the_chapter() -> None:
    """« tâche de CI » passes beside « étape » (the stage), and « fichiers Dockerfile » too."""
    entries = _page(
        ("The `build` stage restores.", "L’étape `build` restaure."),
        (
            "A CI job can fail on such a list. The same stage shows the context.",
            "Une tâche de CI peut échouer sur une telle liste. La même étape montre le contexte.",
        ),
        (
            "Keep the Dockerfiles beside the projects.",
            "Gardez les fichiers Dockerfile près des projets.",
        ),
    )
    chapter = FRENCH.for_page("create-docker-images.md")
    assert [check_entry(entry, chapter) for entry in entries] == [(), (), ()]
    assert page_findings("fr/c.po", entries, chapter) == ()


def test_glossary_words_with_a_star_take_any_ending() -> None:
    english = "To check, remove the local copy and pull it back."
    assert _problems(english, "Supprimez la copie locale et récupérez-la.", FRENCH) == ()
    assert _problems("Each host pulls it.", "Chaque hôte la récupère.", FRENCH) == ()
    (problem,) = _problems(english, "Supprimez la copie locale et tirez-la.", FRENCH)
    assert problem.startswith("glossary: 'pull' is translated «\u00a0récup*\u00a0»")


def test_a_protected_name_inside_a_term_does_not_hide_it() -> None:
    assert _problems("Restore the NuGet packages.", "Restaurez les packages NuGet.", FRENCH) == ()


def _page(*pairs: tuple[str, str]) -> tuple[Entry, ...]:
    return tuple(Entry(en, fr, line=10 * n) for n, (en, fr) in enumerate(pairs, 1))


def test_a_reserved_rendering_points_at_the_message_that_misuses_it() -> None:
    """The critical defect: « étape » for a step on the page where it means a stage."""
    entries = _page(
        ("The first stage builds it.", "La première étape la construit."),
        ("It was done two steps earlier.", "Elle a été faite deux étapes plus tôt."),
    )
    (finding,) = page_findings("fr/c.po", entries, FRENCH)
    assert str(finding) == (
        "fr/c.po:20: glossary: on this page «\u00a0étape\u00a0» stands for 'stage' only, and "
        "this message has no 'stage': choose another word"
    )
    fixed = (*entries[:1], Entry(entries[1].msgid, "Elle a été faite deux instructions plus haut."))
    assert page_findings("fr/c.po", fixed, FRENCH) == ()


def test_a_page_without_the_reserved_term_may_use_its_words() -> None:
    entries = _page(
        ("If a single step fails, it stops.", "Si une seule étape échoue, il s'arrête.")
    )
    assert page_findings("fr/i.po", entries, FRENCH) == ()


def test_one_rendering_per_term_on_a_page() -> None:
    glossary = Glossary(terms=(Term(("tag", "tags"), ("étiquette", "étiquettes", "tag", "tags")),))
    entries = _page(
        ("Each tag names a variant.", "Chaque étiquette nomme une variante."),
        ("The tags of .NET 10.", "Les étiquettes de .NET 10."),
        ("Without a tag, Docker uses latest.", "Sans tag, Docker utilise latest."),
    )
    (finding,) = page_findings("fr/c.po", entries, glossary)
    assert str(finding) == (
        "fr/c.po:30: consistency: 'tag' is «\u00a0tag\u00a0» here but «\u00a0étiquette\u00a0» "
        "at line 10: one rendering per page"
    )


def test_renderings_compare_without_plural_endings() -> None:
    assert rendering("Codes de sortie") == rendering("code de sortie")
    assert rendering("réseaux") == rendering("réseau")
    assert rendering("espaces réservés") != rendering("espace de travail")


def test_the_project_catalogs_pass_the_french_glossary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["i18n", "check", "--config", str(ROOT / "mkdocs.yml")]) == 0
    assert "glossary" not in capsys.readouterr().out


def test_the_glossary_file_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yml"
    path.write_text("terms:\n  - english: [stage]\n    french: [étape]\n    reserve: yes\n")
    with pytest.raises(UsageError, match=r"unknown term key.*reserve"):
        load_glossary(path)
    path.write_text("terms:\n  - english: [stage]\n    french: [étape]\n    reserved: 1\n")
    with pytest.raises(UsageError, match="`reserved` of 'stage' must be true or false"):
        load_glossary(path)
