"""Which of the configured tools a page runs: the badge names those, and no others.

A page that never types `docker` was not verified "with Docker", whatever the machine had.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from guiderunner.model import Plan


def tools_used(plan: Plan, tools: Mapping[str, str]) -> dict[str, str]:
    """The tools (report key -> name on the badge) whose command a step of the page runs.

    A tool counts when its key is a word of what a step types (a command, a service).

    >>> from guiderunner.model import Command, Span
    >>> step = Command(Span("a.md", 3, 3), "sudo docker ps", "docker ps", (), 0, 9.0)
    >>> tools_used(Plan("a.md", (step,), True), {"docker": "Docker", "dotnet": ".NET"})
    {'docker': 'Docker'}
    """
    typed = "\n".join(str(getattr(step, "text", "")) for step in plan.steps)
    return {
        key: name
        for key, name in tools.items()
        if re.search(rf"(?<![\w./-]){re.escape(key)}(?![\w.-])", typed)
    }
