"""Running a plan: the page shell, services, files, workspace and cleanup."""
