"""`python -m guiderunner`."""

from guiderunner.cli import entry

entry()
