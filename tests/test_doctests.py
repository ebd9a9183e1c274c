"""Every docstring example of `guiderunner` runs, so that examples cannot drift from the code.

Collected here rather than with `--doctest-modules`, so that a plain `pytest` from the
repository's root finds them with no option.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import guiderunner


def modules() -> list[str]:
    found = [
        info.name
        for info in pkgutil.walk_packages(guiderunner.__path__, "guiderunner.")
        if not info.name.endswith("__main__")
    ]
    return sorted(found)


@pytest.mark.parametrize("name", modules())
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"


def test_the_examples_are_found() -> None:
    """A broken collector would pass every case above: some modules must have examples."""
    finder = doctest.DocTestFinder()
    examples = sum(
        len(test.examples)
        for name in modules()
        for test in finder.find(importlib.import_module(name))
    )
    assert examples >= 20
