"""The Docker toolchain the guide runs on: engine, .NET stand-in images, private registry.

`runner toolchain up|down|status` (guiderunner.cli.toolchain) runs commands.py's actions. Nothing
is imported here, so that the command line loads only the toolchain's error type until an
action runs.
"""
