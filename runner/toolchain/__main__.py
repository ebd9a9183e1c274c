"""Entry point for `python -m runner.toolchain`."""

from __future__ import annotations

import sys

from runner.toolchain import main

sys.exit(main(sys.argv[1:]))
