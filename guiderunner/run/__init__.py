"""Running a plan: one PageRun (lifecycle.py) per page owns its shell, services, cleanup."""
