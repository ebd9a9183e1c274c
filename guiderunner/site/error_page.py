"""The 404 pages without `site_url`: a translation's error page finds its own base in the browser.

A host such as GitHub Pages answers every missing path with the root `404.html`, whatever the
path's depth, and a site published under a project path (`/repo/`) cannot know that path at
build time without `site_url`. So:

- a translation's 404 (`fr/404.html`) is built with relative links, and a script at the top
  of its head sets the document's base to the address up to the language's folder (`/repo/fr/`
  for `/repo/fr/a/b`), before any link is read; the theme's config gets that base too, since
  the theme resolves it against the address, not against `<base>`;
- the root 404, shown for a missing `/repo/fr/x`, replaces itself with the translation's 404,
  fetched from beside the language folder, so a French path gets the French page at its own
  address. Other paths keep the root 404 as mkdocs builds it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

HEAD = re.compile(r"<head[^>]*>")
CONFIG_END = re.compile(r'(<script id="__config"[^>]*>.*?</script>)', re.DOTALL)

_BASE = """<script>(function(){var r=%(root)s,p=location.pathname,i=p.indexOf("/"+r),\
b=document.createElement("base");b.href=i<0?"/"+r:p.slice(0,i+1+r.length);\
document.head.appendChild(b)})()</script>"""
"""Sets <base> from the address: the part of the path up to the language's folder."""

_CONFIG = """<script>(function(){var c=document.getElementById("__config"),\
d=JSON.parse(c.textContent),u=document.baseURI;d.base=u;\
d.search=new URL(d.search,u).href;c.textContent=JSON.stringify(d)})()</script>"""
"""Gives the theme (which reads `base` against the address) the absolute base."""

_REPLACE = """<script>(function(){var s=%(roots)s,p=location.pathname;if(window.runner404)return;\
function put(t){window.runner404=1;document.open();document.write(t);document.close()}\
function text(r){if(!r.ok&&r.status!==404)throw r;return r.text()}\
for(var k=0;k<s.length;k++){var i=p.indexOf("/"+s[k]);if(i<0)continue;\
document.write('<link rel="icon" href="data:,"><!--');\
var l=new Promise(function(d){addEventListener("load",d)});\
var t=fetch(p.slice(0,i+1)+s[k]+"404.html").then(function(r){if(!r.ok)throw r;return r.text()})\
.catch(function(){return fetch(location.href).then(text)});\
Promise.all([t,l]).then(function(a){put(a[0])});return}})()</script>"""
"""On a path under a translation's folder: that translation's 404, in place of this one.

The rest of this page is written into a comment, so it never shows and its scripts never run
beside the other page's; once it has loaded, the document is rewritten with the translation's
404. If that page cannot be had, this one is fetched again and shown as it is (`runner404`
keeps it from trying twice: `document.open` keeps the window and its variables).
"""


def translated_error_page(html: str, root: str) -> str:
    """A translation's 404 (links relative to `root`, e.g. `fr/`) that sets its own base.

    >>> page = translated_error_page('<html><head><meta charset="utf-8"></head></html>', "fr/")
    >>> page.index('indexOf("/"+r)') < page.index('<meta charset')
    True
    """
    script = _BASE % {"root": json.dumps(root)}
    html = HEAD.sub(lambda m: m[0] + script, html, count=1)
    return CONFIG_END.sub(lambda m: m[1] + _CONFIG, html, count=1)


def root_error_page(html: str, roots: Sequence[str]) -> str:
    """The root 404, which hands a path under a translation's folder to that translation's 404.

    >>> root_error_page("<head></head>", []) == "<head></head>"
    True
    >>> '["fr/"]' in root_error_page("<head></head>", ["fr/"])
    True
    """
    if not roots:
        return html
    script = _REPLACE % {"roots": json.dumps(list(roots))}
    return HEAD.sub(lambda m: m[0] + script, html, count=1)
