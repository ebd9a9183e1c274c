"""English pages + a language's catalogs -> the pages whose translation lags the English.

A message lags when the English changed since it was translated (fuzzy), when it has no
translation, or when the catalog does not have it yet (`runner i18n update` was not run).
Such a message is shown in English on the translated page, which then says so (site plugin).
"""

from __future__ import annotations

from pathlib import Path

from guiderunner.i18n.catalog import read_catalog
from guiderunner.i18n.extract import extract_segments
from guiderunner.i18n.merge import messages

NOT_TRANSLATED = -1
"""The count of a page nobody translated yet: it did not change since a translation, it has none."""


def lagging_messages(docs: Path, translations: Path) -> dict[str, int]:
    """Page (relative to `docs`) -> how many of its messages lag, for the pages that lag.

    A page never translated (no catalog, or not one message translated) gets NOT_TRANSLATED:
    its translated copy says "not translated yet", not that the English changed since.
    """
    lagging = {}
    for source in sorted(docs.rglob("*.md")):
        page = source.relative_to(docs).as_posix()
        text = source.read_text(encoding="utf-8").replace("\r\n", "\n")
        fresh = messages(page, extract_segments(text))
        catalog_path = translations / Path(page).with_suffix(".po")
        catalog = read_catalog(catalog_path) if catalog_path.is_file() else None
        done = {e.msgid for e in catalog.active if e.translated} if catalog else set()
        count = sum(1 for message in fresh if message.msgid not in done)
        if catalog is None or not any(e.msgstr for e in catalog.active):
            lagging[page] = NOT_TRANSLATED
        elif count:
            lagging[page] = count
    return lagging
