"""GitHub Actions annotations: each failed step as an `::error` workflow command on its line.

GitHub sets GITHUB_ACTIONS=true in every job; `runner verify` then adds this reporter, and
the job's summary and the pull request's diff show each failure at its page's line. Values are
escaped as the workflow-command format asks (`%`, CR and LF everywhere; `:` and `,` in
properties), so no output of a page can end the command early or forge another one.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from guiderunner.model import PageResult, Verdict
from guiderunner.report.text import describe, failure_details

VARIABLE = "GITHUB_ACTIONS"
TITLE_LIMIT = 200
"""A title longer than this is cut: GitHub shows it on one line."""


def wanted(environ: Mapping[str, str]) -> bool:
    """Whether the run is a GitHub Actions job (GITHUB_ACTIONS=true)."""
    return environ.get(VARIABLE) == "true"


def escape_data(text: str) -> str:
    r"""A message as a workflow command's data.

    >>> escape_data("100% done\r\nnext")
    '100%25 done%0D%0Anext'
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (file, title) of a workflow command.

    >>> escape_property("a: b, c")
    'a%3A b%2C c'
    """
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(verdict: Verdict) -> str:
    """The `::error` line of one failed step.

    The title names the step, the message says why and shows the details (diff, output).
    """
    step = verdict.step
    title = f"{describe(step)} ({verdict.outcome})"
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 1] + "…"
    properties = ",".join(
        f"{name}={escape_property(value)}"
        for name, value in (
            ("file", step.span.path),
            ("line", str(step.span.start)),
            ("endLine", str(step.span.end)),
            ("title", title),
        )
    )
    return f"::error {properties}::{escape_data(failure_details(verdict).rstrip())}"


class GitHubAnnotations:
    """A reporter that writes one annotation per failed step, as the step fails."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stdout

    def step_finished(self, path: str, verdict: Verdict) -> None:
        """Annotate a failed step at its line; passing and skipped steps say nothing."""
        del path  # the step's span names its page
        if verdict.did_not_pass:
            self._stream.write(annotation(verdict) + "\n")
            self._stream.flush()

    def run_finished(self, results: Sequence[PageResult]) -> None:
        """Nothing more: every failure was annotated when it happened."""
