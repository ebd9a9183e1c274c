"""PO files <-> Catalog: the only module that knows polib."""

from __future__ import annotations

from pathlib import Path

import polib  # type: ignore[import-untyped]

from guiderunner.errors import GuideError, UsageError
from guiderunner.i18n.model import Catalog, Entry

WRAP_WIDTH = 79


def read_catalog(path: Path) -> Catalog:
    """Read a PO file; a malformed one is the translator's mistake, reported at its line."""
    try:
        text = path.read_text(encoding="utf-8")
        po = polib.pofile(text, wrapwidth=WRAP_WIDTH)
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8") from None
    except OSError as error:
        raise GuideError(str(path), _error_line(str(error)), str(error)) from None
    lines = text.split("\n")
    return Catalog(
        header=tuple(po.metadata.items()),
        entries=tuple(_entry(item, _msgstr_line(lines, item.linenum)) for item in po),
    )


def write_catalog(path: Path, catalog: Catalog, comment: str = "") -> None:
    """Write a catalog, entries in its order, wrapped like gettext's tools."""
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.header = comment
    po.metadata = dict(catalog.header)
    for entry in catalog.entries:
        po.append(
            polib.POEntry(
                msgid=entry.msgid,
                msgstr=entry.msgstr,
                flags=["fuzzy"] if entry.fuzzy else [],
                obsolete=entry.obsolete,
                previous_msgid=entry.previous if entry.fuzzy else None,
                occurrences=[_occurrence(where) for where in entry.occurrences],
                comment=entry.note,
                tcomment=entry.comment,
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(po), encoding="utf-8")


def _entry(item: polib.POEntry, line: int) -> Entry:
    return Entry(
        msgid=item.msgid,
        msgstr=item.msgstr,
        fuzzy="fuzzy" in item.flags,
        obsolete=bool(item.obsolete),
        previous=item.previous_msgid,
        occurrences=tuple(
            f"{name}:{number}" if number else name for name, number in item.occurrences
        ),
        note=item.comment or "",
        comment=item.tcomment or "",
        line=line,
    )


def _occurrence(where: str) -> tuple[str, str]:
    name, _, number = where.rpartition(":")
    return (name, number) if name and number.isdigit() else (where, "")


def _msgstr_line(lines: list[str], first: int | None) -> int:
    """The line of an entry's msgstr, where the French is; polib gives its first line."""
    start = max((first or 1) - 1, 0)
    for index in range(start, len(lines)):
        if lines[index].lstrip("#~ ").startswith("msgstr"):
            return index + 1
    return first or 1


def _error_line(message: str) -> int:
    digits = "".join(ch if ch.isdigit() else " " for ch in message.rpartition("line")[2]).split()
    return int(digits[0]) if digits else 1
