"""What the plugin adds to a built page: the stale-translation notice and the stemming search.

Text transforms only, no mkdocs here, so they test alone (like guiderunner.site.markup).
"""

from __future__ import annotations

import html
import re

from guiderunner.site.markup import alternate_href
from guiderunner.site.strings import SiteStrings

SEARCH_WORKER = re.compile(r'("search":\s*")([^"]*/)?(workers/)(search\.[0-9a-f]+\.min\.js)(")')
"""mkdocs-material's search worker in the page's `__config` (base.html)."""
STEMMING_WORKER = "stemmed-search.js"
"""site/theme/assets/javascripts/workers/: loads the theme's worker and stems what is typed."""


def stale_notice(
    strings: SiteStrings, page_url: str, source_root: str, *, never_translated: bool = False
) -> str:
    """The notice of a translated page some of whose passages (or all) are still in English.

    >>> print(stale_notice(SiteStrings(stale="Old.", original="Original"), "a/", "../"))
    <p class="stale-translation" role="note">Old. <a href="../../a/" hreflang="en">Original</a></p>
    """
    link = ""
    if source_root:
        href = html.escape(alternate_href(page_url, source_root), quote=True)
        link = f' <a href="{href}" hreflang="en">{html.escape(strings.original, quote=False)}</a>'
    text = html.escape(strings.untranslated if never_translated else strings.stale, quote=False)
    return f'<p class="stale-translation" role="note">{text}{link}</p>'


def stemmed_search(page: str) -> str:
    """Point the page's search at the stemming worker, which loads the theme's own.

    The theme appends `*` to every typed word, so that results come while typing, and lunr does
    not stem a word with a wildcard: « conteneurs » then misses « conteneur ». The stemming
    worker rewrites each word to its stem before the theme does, and the stem is a prefix of
    the word, so prefix search keeps working.

    >>> stemmed_search('{"search": "../assets/javascripts/workers/search.ab12.min.js"}')
    '{"search": "../assets/javascripts/workers/stemmed-search.js?worker=search.ab12.min.js"}'
    """
    return SEARCH_WORKER.sub(
        lambda m: f"{m[1]}{m[2] or ''}{m[3]}{STEMMING_WORKER}?worker={m[4]}{m[5]}", page, count=1
    )
