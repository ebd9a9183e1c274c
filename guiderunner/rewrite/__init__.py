"""`runner update`'s stage: rewrite a page's expected output from what a run printed.

lines.py rewrites one command's expected lines, keeping the author's that still match;
page.py applies those rewrites to the page's text and judges the observations again.
"""

from guiderunner.rewrite.lines import Rewrite, rewrite_output, written

__all__ = ["Rewrite", "rewrite_output", "written"]
