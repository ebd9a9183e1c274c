"""The plugin's text transforms: runner comments removed, language links made per page."""

from __future__ import annotations

import pytest

from guiderunner.site.markup import (
    alternate_href,
    language_root,
    link_alternates,
    strip_runner_comments,
)

PAGE = """# Title

Some text:
<!-- runner: timeout=600 -->
```console
$ sleep 1
```

<!-- runner: hidden
```console
$ echo secret-setup
```
-->

!!! note
    <!-- runner: stop=web -->
    Body.

````markdown
<!-- runner: skip="shown as an example" -->
````
"""


def test_directives_and_hidden_blocks_are_removed_entirely() -> None:
    stripped = strip_runner_comments(PAGE)
    assert "timeout=600" not in stripped
    assert "secret-setup" not in stripped
    assert "stop=web" not in stripped
    assert "$ sleep 1" in stripped
    assert "Some text:\n\n```console" in stripped


def test_runner_comments_inside_code_examples_stay() -> None:
    assert '<!-- runner: skip="shown as an example" -->' in strip_runner_comments(PAGE)


def test_other_html_comments_stay() -> None:
    page = "<!-- a note for authors -->\n\nText.\n"
    assert strip_runner_comments(page) == page


@pytest.mark.parametrize(
    ("page_url", "link", "expected"),
    [
        ("", "./", "./"),
        ("", "fr/", "fr/"),
        ("create-docker-images/", "fr/", "../fr/create-docker-images/"),
        ("create-docker-images/", "./", "../create-docker-images/"),
        ("create-docker-images/", "../", "../../create-docker-images/"),
        ("create-docker-images/", "../fr/", "../../fr/create-docker-images/"),
        ("a/b/", "fr/", "../../fr/a/b/"),
        ("page.html", "fr/", "fr/page.html"),
        ("page/", "/fr/", "/fr/page/"),
    ],
)
def test_alternate_href(page_url: str, link: str, expected: str) -> None:
    assert alternate_href(page_url, link) == expected


@pytest.mark.parametrize(
    ("links", "language", "expected"),
    [
        ({"en": "./", "fr": "fr/"}, "en", ""),
        ({"en": "./", "fr": "fr/"}, "fr", "fr/"),
        ({"en": "../", "fr": "../fr/"}, "fr", "fr/"),
        ({"en": "../", "fr": "../fr/"}, "de", ""),
    ],
)
def test_language_root(links: dict[str, str], language: str, expected: str) -> None:
    alternates = [{"lang": lang, "link": link} for lang, link in links.items()]
    assert language_root(alternates, language) == expected


def test_link_alternates_rewrites_the_switcher_and_drops_head_links() -> None:
    html = (
        '<head>\n      <link rel="alternate" href="../" hreflang="en">\n'
        '      <link rel="alternate" href="../fr/" hreflang="fr">\n</head>'
        '<a href="../" hreflang="en" class="md-select__link">English</a>'
        '<a href="../fr/" hreflang="fr" class="md-select__link">Français</a>'
    )
    alternates = [
        {"name": "English", "link": "./", "lang": "en"},
        {"name": "Français", "link": "fr/", "lang": "fr"},
    ]
    out = link_alternates(html, "guide/", alternates)
    assert 'rel="alternate"' not in out
    assert '<a href="../guide/" hreflang="en" class="md-select__link">' in out
    assert '<a href="../fr/guide/" hreflang="fr" class="md-select__link">' in out
