"""The command line: `runner SUB-COMMAND ...`; main.py holds the command table and error path.

The only package that knows the order of the stages, and the only one that prints errors.
"""

from guiderunner.cli.main import COMMANDS, build_parser, entry, main

__all__ = ["COMMANDS", "build_parser", "entry", "main"]
