"""`python -m runner`."""

from runner.cli import entry

entry()
