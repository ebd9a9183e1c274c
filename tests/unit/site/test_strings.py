"""Site words outside the pages, the stale notice, the search worker swap, the fuzzy policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from guiderunner.errors import UsageError
from guiderunner.i18n.model import Finding, PageStats
from guiderunner.i18n.policy import FuzzyPolicy, fuzzy_policy
from guiderunner.i18n.stale import NOT_TRANSLATED, lagging_messages
from guiderunner.site.additions import stale_notice, stemmed_search
from guiderunner.site.strings import SiteStrings, load_site_strings, site_strings, strings_of
from tests.conftest import ROOT

SITE_YML = ROOT / "translations" / "fr" / "site.yml"


def test_the_french_site_yml_gives_every_word_of_the_site() -> None:
    settings = load_site_strings(SITE_YML)
    assert settings["site_name"].startswith("StockKube\u00a0:")
    words = strings_of(settings["extra"])
    english = SiteStrings()
    for name in ("not_found", "permalink", "stale", "original"):
        assert getattr(words, name) != getattr(english, name), name
    assert words.badge.first_day == "1er"
    assert words.badge.months[0] == "janvier"
    assert words.theme["clipboard.copy"] == "Copier dans le presse-papiers"


def test_english_fills_what_a_language_leaves_out() -> None:
    assert strings_of({}) == SiteStrings()
    assert site_strings({"strings": {"permalink": "Lien"}}).not_found == "404 - Not found"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("strings:\n  notfound: x\n", "strings: unknown key(s): notfound"),
        ("badge:\n  months: [a, b]\n", "badge.months: twelve month names"),
        ("theme:\n  search: [a]\n", None),
        ("colours: {}\n", "unknown key(s): colours"),
        ("strings:\n  permalink: 3\n", "strings.permalink: expected text"),
    ],
)
def test_a_mistake_in_site_yml_names_the_file(
    tmp_path: Path, text: str, reason: str | None
) -> None:
    path = tmp_path / "site.yml"
    path.write_text(text, encoding="utf-8")
    if reason is None:
        load_site_strings(path)
        return
    with pytest.raises(UsageError) as raised:
        load_site_strings(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert reason in str(raised.value)


def test_the_stale_notice_links_to_the_same_page_in_english() -> None:
    notice = stale_notice(SiteStrings(), "create-docker-images/", "../")
    assert notice.startswith('<p class="stale-translation" role="note">The English original')
    assert '<a href="../../create-docker-images/" hreflang="en">' in notice


def test_pages_search_through_the_stemming_worker_once() -> None:
    page = '<script id="__config">{"search": "../assets/javascripts/workers/search.0a1b.min.js"}'
    swapped = stemmed_search(page)
    assert '"../assets/javascripts/workers/stemmed-search.js?worker=search.0a1b.min.js"' in swapped
    assert stemmed_search(swapped) == swapped
    assert stemmed_search("<p>no search here</p>") == "<p>no search here</p>"


def test_a_page_lags_by_its_fuzzy_untranslated_and_missing_messages(tmp_path: Path) -> None:
    docs, translations = tmp_path / "docs", tmp_path / "translations" / "fr"
    docs.mkdir()
    translations.mkdir(parents=True)
    (docs / "a.md").write_text("# Title\n\nFirst.\n\nSecond.\n\nThird.\n", encoding="utf-8")
    (docs / "b.md").write_text("# Done\n", encoding="utf-8")
    (docs / "c.md").write_text("# No catalog\n", encoding="utf-8")
    (translations / "a.po").write_text(
        'msgid "Title"\nmsgstr "Titre"\n\n'
        '#, fuzzy\nmsgid "First."\nmsgstr "Premier."\n\n'
        'msgid "Second."\nmsgstr ""\n',
        encoding="utf-8",
    )
    (translations / "b.po").write_text('msgid "Done"\nmsgstr "Fait"\n', encoding="utf-8")
    # c.md was never translated: it says "not translated yet", not that its English changed since
    assert lagging_messages(docs, translations) == {"a.md": 3, "c.md": NOT_TRANSLATED}


def test_the_fuzzy_policy_comes_from_mkdocs_yml(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("plugins:\n  - search\n  - runner:\n      fuzzy: notice\n", encoding="utf-8")
    assert fuzzy_policy(config) == FuzzyPolicy(fails=False)
    config.write_text("plugins:\n  - runner:\n      sample: s\n", encoding="utf-8")
    assert fuzzy_policy(config) == FuzzyPolicy(fails=True)
    assert fuzzy_policy(ROOT / "mkdocs.yml") == FuzzyPolicy(fails=True)
    config.write_text("plugins:\n  - runner:\n      fuzzy: warn\n", encoding="utf-8")
    with pytest.raises(UsageError, match="`fuzzy` is 'warn': use fail or notice"):
        fuzzy_policy(config)


def test_under_notice_fuzzy_messages_are_listed_but_do_not_fail() -> None:
    stats = PageStats("a.md", 4, 2, 1)
    pending = (Finding("a.po", 3, "fuzzy: One."), Finding("a.po", 7, "untranslated: Two."))
    notice, fail = FuzzyPolicy(fails=False), FuzzyPolicy(fails=True)
    assert fail.below(stats, 100.0, 0)
    assert fail.listed(pending, below=True) == pending
    assert notice.below(stats, 75.0, 0) is False
    assert notice.listed(pending, below=False) == pending[:1]
    assert notice.below(stats, 100.0, 0)


def test_a_never_translated_page_says_so_not_that_it_changed() -> None:
    from guiderunner.site.additions import stale_notice
    from guiderunner.site.strings import SiteStrings

    strings = SiteStrings()
    never = stale_notice(strings, "a/", "../", never_translated=True)
    assert "not translated yet" in never
    assert "changed" not in never
    assert "changed" in stale_notice(strings, "a/", "../")


def test_console_words_and_skip_reasons_come_from_site_yml() -> None:
    strings = site_strings(
        {
            "console": {"placeholder": "<variable>", "not_run": "Non exécuté : {reason}"},
            "reasons": {"needs the network": "demande le réseau"},
        }
    )
    assert strings.console.placeholder == "<variable>"
    assert strings.console.varies == "Varies from run to run"  # English fills the gap
    assert strings.console.reasons == {"needs the network": "demande le réseau"}
    with pytest.raises(ValueError, match="console: unknown key"):
        site_strings({"console": {"placholder": "x"}})


def test_the_french_site_yml_translates_every_console_word() -> None:
    from guiderunner.site.console import CONSOLE_WORDS

    data = load_site_strings(ROOT / "translations" / "fr" / "site.yml")["extra"]["runner_i18n"]
    french = site_strings(data).console
    for name in ("varies", "varies_run", "placeholder", "more_lines", "not_run", "exit_status"):
        assert getattr(french, name) != getattr(CONSOLE_WORDS, name), name


def test_every_skip_reason_of_the_docs_has_its_french() -> None:
    """French follows: a reason the site shows under a skipped block is translated too."""
    from guiderunner.model import Block
    from guiderunner.parse import parse_guide

    data = load_site_strings(SITE_YML)["extra"]["runner_i18n"]
    reasons = site_strings(data).console.reasons
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for item in parse_guide(page.name, page.read_text(encoding="utf-8")).items:
            skip = item.options.skip if isinstance(item, Block) else None
            if skip and not item.hidden:
                assert skip in reasons, f"{page.name}:{item.span.start}: add to site.yml: {skip}"
