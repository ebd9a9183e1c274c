"""What runs keep between runs, outside the repository: each page's last pass, tool versions."""
