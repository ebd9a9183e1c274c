"""Text transforms the plugin applies to every page: no mkdocs here, so they test alone."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from guiderunner.markdown import directive_lines, headings

SELECT_LINK = re.compile(r'<a href="[^"]*" hreflang="(?P<lang>[^"]*)" class="md-select__link">')
"""mkdocs-material's language switcher entry (partials/alternate.html)."""
HEAD_ALTERNATE = re.compile(r'\n?[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
"""mkdocs-material's `<link rel="alternate" hreflang>` (base.html)."""


def strip_runner_comments(markdown: str) -> str:
    r"""Remove runner directives and hidden blocks entirely: not even a comment reaches HTML.

    >>> strip_runner_comments("Text\n\n<!-- runner: timeout=5 -->\n```console\n$ true\n```\n")
    'Text\n\n\n```console\n$ true\n```\n'
    """
    lines = markdown.split("\n")
    for start, end in reversed(directive_lines(markdown)):
        lines[start:end] = [""]
    return "\n".join(lines)


def alternate_href(page_url: str, link: str) -> str:
    """The same page in another language, relative to this page; `link` is that site's root.

    >>> alternate_href("create-docker-images/", "fr/")
    '../fr/create-docker-images/'
    >>> alternate_href("create-docker-images/", "../")
    '../../create-docker-images/'
    >>> alternate_href("", "./")
    './'
    """
    if urlsplit(link).scheme or link.startswith("/"):
        return link.rstrip("/") + "/" + page_url
    path = posixpath.normpath("../" * page_url.count("/") + link + page_url)
    directory = page_url == "" or page_url.endswith("/")
    return path + "/" if directory and not path.endswith("/") else path


def language_root(alternates: Sequence[Mapping[str, str]], language: str) -> str:
    """Where this language's site sits under the first (root) language's, such as `fr/`.

    >>> links = [{"lang": "en", "link": "../"}, {"lang": "fr", "link": "../fr/"}]
    >>> language_root(links, "fr"), language_root(links, "en")
    ('fr/', '')
    """
    links = {str(alt.get("lang")): str(alt.get("link", "")) for alt in alternates}
    if not alternates or language not in links:
        return ""
    root = str(alternates[0].get("link", "")) or "./"
    relative = posixpath.relpath(links[language] or "./", root)
    return "" if relative == "." else relative.rstrip("/") + "/"


def error_page_base(base_url: str, root: str) -> str:
    """The absolute base of a language's error pages, which mkdocs sets for the root site.

    >>> error_page_base("/", "fr/"), error_page_base("/docs/", "fr/"), error_page_base("/", "")
    ('/fr/', '/docs/fr/', '/')
    """
    return posixpath.join(base_url or "/", root)


def link_alternates(html: str, page_url: str, alternates: Sequence[Mapping[str, str]]) -> str:
    """Point the language switcher at this very page in each language.

    mkdocs-material links each language to its home page and, from the `<link rel=alternate>`
    tags, fetches sitemaps to redirect in the browser; that needs absolute site URLs. Links
    written per page work on any host and path, so the `<link>` tags (and the fetches) go.
    """
    roots = {str(alt.get("lang")): str(alt.get("link", "")) for alt in alternates}

    def page_link(match: re.Match[str]) -> str:
        root = roots.get(match["lang"])
        if root is None:
            return match[0]
        href = alternate_href(page_url, root)
        return f'<a href="{href}" hreflang="{match["lang"]}" class="md-select__link">'

    return HEAD_ALTERNATE.sub("", SELECT_LINK.sub(page_link, html))


def insert_after_title(markdown: str, html: str) -> str:
    r"""Put a line of HTML under the page's first `# ` heading (or on top when it has none).

    >>> insert_after_title("# T\nText\n", "<p>x</p>")
    '# T\n\n<p>x</p>\n\nText\n'
    """
    lines = markdown.split("\n")
    at = next((h.end for h in headings(markdown) if h.level == 1), 0)
    return "\n".join([*lines[:at], "", html, "", *lines[at:]])
