"""`python -m runner.toolchain ACTION`: the same as `runner toolchain ACTION`."""

from __future__ import annotations

import sys

from runner.cli import main

sys.exit(main(["toolchain", *sys.argv[1:]]))
