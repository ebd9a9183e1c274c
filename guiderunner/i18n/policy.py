"""What a fuzzy message means for a project: a failed check, or a page published with a notice.

mkdocs.yml chooses, under the runner plugin:

    plugins:
      - runner:
          fuzzy: fail      # the default: `runner i18n check` fails while a message is fuzzy
          fuzzy: notice    # it lists them and passes; the page shows them in English, with a
                           # notice that the translation may lag the English original

Either way `runner i18n check` lists every fuzzy message with its PO file and line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from guiderunner.i18n.model import Catalog, Finding, PageStats
from guiderunner.settings import load_settings


@dataclass(frozen=True, slots=True)
class FuzzyPolicy:
    """How `runner i18n check` treats fuzzy messages."""

    fails: bool = True
    """True: a fuzzy message fails the check; False: it is listed, and published with a notice."""

    def below(self, stats: PageStats, min_translated: float, max_fuzzy: int) -> bool:
        """Whether a page is below the release thresholds.

        >>> stats = PageStats("a.md", 10, 9, 1)
        >>> FuzzyPolicy(True).below(stats, 100.0, 0), FuzzyPolicy(False).below(stats, 100.0, 0)
        (True, False)
        """
        if self.fails:
            return stats.percent < min_translated or stats.fuzzy > max_fuzzy
        published = stats.translated + stats.fuzzy
        return (100.0 * published / stats.total if stats.total else 100.0) < min_translated

    def listed(self, pending: Sequence[Finding], below: bool) -> tuple[Finding, ...]:
        """The pending messages to print: all of them below the thresholds, else the fuzzy ones."""
        return tuple(p for p in pending if below or p.message.startswith("fuzzy:"))


def never_translated(catalog: Catalog | None) -> bool:
    """A page nobody translated yet: no catalog, or one without a single translation.

    >>> from guiderunner.i18n.model import Entry
    >>> never_translated(None), never_translated(Catalog((), (Entry("Hi", "Salut"),)))
    (True, False)
    """
    return catalog is None or not any(e.msgstr for e in catalog.active)


def untranslated_fails(config: Path) -> bool:
    """Whether a page not translated yet fails `runner i18n check` (`untranslated: fail`)."""
    return load_settings(config).untranslated == "fail"


def fuzzy_policy(config: Path) -> FuzzyPolicy:
    """The policy mkdocs.yml sets (guiderunner.settings reads it), `fail` when it says nothing."""
    return FuzzyPolicy(fails=load_settings(config).fuzzy == "fail")
