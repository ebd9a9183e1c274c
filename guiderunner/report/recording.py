"""An asciicast recording read back: its step markers and how it was shortened, for the site.

The format is the one guiderunner.report.asciicast writes: an asciicast v2 header with a
`shortened` entry, and `"m"` events labelled `LINE: command` (`step_label`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from guiderunner.report.asciicast import ASCIICAST_VERSION

__all__ = ["Marker", "Recording", "Shortened", "read_markers", "read_recording"]

LABEL = re.compile(r"^(?P<line>\d+): ")
"""The start of a label `step_label` made: the step's line in the page."""
EVENT_FIELDS = 3  # time, code, data
SHORTENED_FIELDS = ("real_duration", "played_duration", "pauses_over", "played_as")


@dataclass(frozen=True, slots=True)
class Marker:
    """A step's start, as a recording holds it."""

    time: float
    """Seconds from the start of the recording, as it plays (after shortening)."""
    label: str
    """What players show: the step's line and command (see `step_label`)."""
    line: int | None
    """The step's line in the page, read back from the label; None for other labels."""


@dataclass(frozen=True, slots=True)
class Shortened:
    """How a recording was shortened, from its header."""

    real_duration: float
    """Seconds the run really took."""
    played_duration: float
    """Seconds the recording plays."""
    pauses_over: float
    """Pauses longer than this many seconds were cut..."""
    played_as: float
    """...to this many seconds."""


@dataclass(frozen=True, slots=True)
class Recording:
    """What the site needs to know of a recording file."""

    title: str
    """The header's title."""
    markers: tuple[Marker, ...]
    """Its step markers, in order."""
    shortened: Shortened | None
    """How it was shortened; None when it plays in real time."""


def read_recording(path: Path) -> Recording:
    """A recording's title, markers and shortening, as `Recorder` wrote them.

    Raises:
        OSError: the file cannot be read.
        ValueError: it is not an asciicast v2 file.
    """
    with path.open(encoding="utf-8") as lines:
        header = json.loads(next(lines, "null"))
        events = [json.loads(line) for line in lines if line.strip()]
    if not isinstance(header, dict) or header.get("version") != ASCIICAST_VERSION:
        raise ValueError(f"{path}: not an asciicast v2 recording")
    cut = header.get("shortened")
    return Recording(
        str(header.get("title", "")),
        tuple(
            _marker(float(event[0]), str(event[2]))
            for event in events
            if isinstance(event, list) and len(event) == EVENT_FIELDS and event[1] == "m"
        ),
        Shortened(**{k: float(cut[k]) for k in SHORTENED_FIELDS})
        if isinstance(cut, dict)
        else None,
    )


def read_markers(path: Path) -> tuple[Marker, ...]:
    """The markers of a recording, in order, with the step line read back from each label."""
    return read_recording(path).markers


def _marker(when: float, label: str) -> Marker:
    number = LABEL.match(label)
    return Marker(when, label, int(number["line"]) if number else None)
