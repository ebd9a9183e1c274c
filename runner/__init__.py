"""Run Markdown guides for real and check that what they show is what happens.

Pipeline: parse (Markdown -> Guide), plan (Guide -> Plan), run (Plan -> Observations),
match (Observation -> Verdict), report. `runner.cli` is the only place that knows the order.
"""

from runner.errors import ExitCode, GuideError, UsageError

__all__ = ["ExitCode", "GuideError", "UsageError"]
