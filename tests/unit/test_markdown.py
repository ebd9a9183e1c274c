"""The one Markdown reader: headings and runner comments as every stage sees them."""

from __future__ import annotations

from guiderunner.markdown import directive_lines, headings

PAGE = """---
title: front matter
---
# Title

Intro

Setext
------

```console
# not a heading
```

<!-- runner: timeout=5 -->
```console
$ true
```

## Last ##
"""


def test_headings_with_levels_and_lines_outside_fences():
    found = [(h.line, h.end, h.level, h.title) for h in headings(PAGE)]
    assert found == [(4, 4, 1, "Title"), (8, 9, 2, "Setext"), (20, 20, 2, "Last")]


def test_directive_lines_are_zero_based_ranges():
    assert directive_lines(PAGE) == ((14, 15),)
