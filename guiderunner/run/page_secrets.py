"""What a page sets under a secret's name becomes a secret too, before anyone sees it.

Literal values (`export DB_PASSWORD=hunter2`) are learnt from the plan before the first step,
so even the command as typed is masked in recordings and reports. A value only the shell knows
(`export API_TOKEN=$(openssl rand -hex 8)`, `read -s DB_PASSWORD`) is asked of the page's own
shell right after the step that set it, before its output is filtered.
"""

from __future__ import annotations

from guiderunner.model import Command, Plan, Step
from guiderunner.run.secrets import SecretMask, assigned_secrets
from guiderunner.run.shell.session import ShellDied, ShellSession


def learn_literal_secrets(mask: SecretMask, plan: Plan) -> None:
    """Every literal value the page's commands and services assign to a secret-named variable.

    What a step types is "" for the kinds that type nothing (a file written, a stop).
    """
    for step in plan.steps:
        if step.typed:
            mask.learn(*(v for _, v in assigned_secrets(step.typed, mask.patterns) if v))


def learn_secrets(mask: SecretMask, step: Step, shell: ShellSession, status: int | None) -> None:
    """Values the step gave secret-named variables that only the shell can tell."""
    if not isinstance(step, Command) or not mask.patterns:
        return
    names = {name for name, value in assigned_secrets(step.text, mask.patterns) if value is None}
    for name in sorted(names):
        try:
            mask.learn(shell.variable(name, status))
        except ShellDied:
            return
