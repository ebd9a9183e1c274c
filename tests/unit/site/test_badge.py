"""The "Verified on ..." badge: present only for a passing run of the page's current content."""

from __future__ import annotations

import pytest

from guiderunner.site.badge import ENGLISH, badge_html, relabel
from guiderunner.site.strings import EXTRA_KEY, load_site_strings, site_strings
from tests.conftest import ROOT

TOOLS = {"docker": "Docker", "dotnet": ".NET"}

FRENCH = site_strings(
    load_site_strings(ROOT / "translations" / "fr" / "site.yml")["extra"][EXTRA_KEY]
).badge
"""The French site's badge words, as translations/fr/site.yml gives them."""

REPORT = {
    "finished": "2025-11-03T09:15:00+00:00",
    "environment": {"bash": "5.2", "docker": "28.5.1", "dotnet": "10.0.100"},
    "passed": True,
    "pages": [
        {"path": "docs/create-docker-images.md", "content_hash": "abc123", "passed": True},
        {"path": "docs/authoring.md", "content_hash": "def456", "passed": False},
    ],
}


def test_verified_with_the_same_hash():
    html = badge_html("docs/create-docker-images.md", "abc123", REPORT, tools=TOOLS)
    assert html.startswith('<p class="verified"')
    assert "Verified on November 3, 2025</time> with Docker 28.5.1 and .NET 10.0.100" in html
    assert '<time datetime="2025-11-03">' in html


def test_french_words_come_from_the_translations():
    html = relabel(
        badge_html("docs/create-docker-images.md", "abc123", REPORT, tools=TOOLS), FRENCH
    )
    assert "Vérifié le 3\u00a0novembre\u00a02025</time> avec Docker 28.5.1 et .NET 10.0.100" in html
    assert 'title="Empreinte du contenu vérifié\u00a0: abc123"' in html
    assert "Verified" not in html
    assert 'title="content' not in html


def test_the_first_of_the_month_is_1er_in_french():
    report = {**REPORT, "finished": "2026-03-01T23:00:00+00:00"}
    html = badge_html("docs/create-docker-images.md", "abc123", report, tools=TOOLS)
    assert "Vérifié le 1er\u00a0mars\u00a02026</time>" in relabel(html, FRENCH)
    assert "Verified on March 1, 2026</time>" in html


def test_relabelling_keeps_the_facts_and_is_stable():
    html = badge_html("docs/create-docker-images.md", "abc123", REPORT, tools=TOOLS)
    french = relabel(html, FRENCH)
    assert relabel(french, FRENCH) == french
    assert '<time datetime="2025-11-03">' in french
    assert relabel(french, ENGLISH) == html


def test_the_site_may_name_the_page_inside_the_docs_folder():
    assert "Verified" in badge_html("create-docker-images.md", "abc123", REPORT, tools=TOOLS)
    assert "Not verified" in badge_html("images.md", "abc123", REPORT, tools=TOOLS)


def test_a_failed_run_of_this_content_says_failed_in_each_language():
    assert badge_html("docs/authoring.md", "def456", REPORT, tools=TOOLS) == (
        '<p class="verified failed">Failed</p>'
    )
    french = relabel(badge_html("docs/authoring.md", "def456", REPORT), FRENCH)
    assert french == '<p class="verified failed">Échec</p>'


def test_a_page_that_ran_no_tool_names_none():
    html = badge_html("docs/create-docker-images.md", "abc123", REPORT, tools={})
    assert "Docker" not in html
    assert ".NET" not in html
    assert "Verified on" in html


@pytest.mark.parametrize(
    ("path", "content_hash", "report"),
    [
        ("docs/create-docker-images.md", "changed", REPORT),  # the page changed since
        ("docs/other.md", "abc123", REPORT),  # never run
        ("docs/create-docker-images.md", "abc123", None),  # no report
        ("docs/create-docker-images.md", "abc123", {}),  # an empty one
    ],
)
def test_not_verified(path, content_hash, report):
    not_verified = '<p class="verified not-verified">Not verified</p>'
    assert badge_html(path, content_hash, report, tools=TOOLS) == not_verified
    assert relabel(badge_html(path, content_hash, report, tools=TOOLS), FRENCH) == (
        '<p class="verified not-verified">Non vérifié</p>'
    )


def test_a_cached_page_shows_when_it_really_ran():
    pages = [
        {
            "path": "a.md",
            "content_hash": "h",
            "passed": True,
            "verified_at": "2025-10-01T08:00:00+00:00",
        }
    ]
    html = badge_html("a.md", "h", {**REPORT, "pages": pages}, tools=TOOLS)
    assert "Verified on October 1, 2025" in html


def test_missing_tools_are_left_out_and_text_is_escaped():
    report = {**REPORT, "environment": {"docker": "<b>27</b>", "dotnet": None}}
    html = badge_html("docs/create-docker-images.md", "abc123", report, tools=TOOLS)
    assert html.endswith(" with Docker &lt;b&gt;27&lt;/b&gt;</p>")
    none = badge_html(
        "docs/create-docker-images.md", "abc123", {**REPORT, "environment": {}}, tools=TOOLS
    )
    assert none.endswith("2025</time></p>")


def test_an_unknown_language_falls_back_to_english():
    assert "Verified on" in badge_html(
        "docs/create-docker-images.md", "abc123", REPORT, tools=TOOLS
    )
