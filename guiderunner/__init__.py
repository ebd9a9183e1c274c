"""Run Markdown guides for real and check that what they show is what happens.

Pipeline: parse (Markdown -> Guide), plan (Guide -> Plan), run (Plan -> Observations, in a
guiderunner.run.lifecycle.PageRun), match (Observation -> Verdict), report; then store, rewrite,
presenter, i18n and site. `guiderunner.cli` is the only place that knows the order. ARCHITECTURE.md
at the repository's root draws the map.
"""

from guiderunner.errors import ExitCode, GuideError, MissingPiece, UsageError

__version__ = "0.2.0"
"""The package's version (pyproject.toml reads it from here; CHANGELOG.md says what changed)."""

__all__ = ["ExitCode", "GuideError", "MissingPiece", "UsageError", "__version__"]
