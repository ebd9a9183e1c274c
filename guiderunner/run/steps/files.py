"""Titled blocks become files of the workspace; nothing is ever written outside it."""

from __future__ import annotations

from pathlib import Path


class OutsideWorkspace(Exception):
    """The path would land outside the workspace (a symlink created by an earlier step)."""


def write_file(workspace: Path, relative: str, content: str) -> Path:
    """Write `content` at `relative` inside `workspace`, creating folders; returns the file."""
    root = workspace.resolve()
    target = (root / relative).resolve()
    if root not in target.parents:
        raise OutsideWorkspace(f"{relative} resolves to {target}, outside the workspace")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content, encoding="utf-8")
    return target
