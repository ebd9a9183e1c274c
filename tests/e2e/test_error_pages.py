"""The 404 pages in Debian's chromium, served the way GitHub Pages serves them.

GitHub Pages answers every missing path with the root `404.html` (status 404), and a project
site lives under `/<repo>/`, which the build cannot know without `site_url`. A missing French
page must still be told in French, with links, styles and search that work; a missing English
page keeps the English 404.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from guiderunner.cli.main import main
from tests.e2e.site_helpers import chromium, copy_project, require_browser, watched_tab

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
sync_api = require_browser()

FRENCH_404 = "Erreur 404\u00a0: page introuvable"


class _PagesHandler(SimpleHTTPRequestHandler):
    """A static host like GitHub Pages: the site under `prefix`, the root 404.html otherwise."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        inside = path.split("?", 1)[0].split("#", 1)[0]
        if not inside.startswith(self.prefix):
            return str(Path(self.directory) / "no such folder" / "outside the prefix")
        return super().translate_path("/" + inside[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads the browser, not the server's log."""


@contextmanager
def _served(site: Path, prefix: str) -> Iterator[str]:
    handler = type("Handler", (_PagesHandler,), {"prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("error-pages"))
    assert main(["publish", "--config", str(project / "mkdocs.yml")]) == 0
    return project / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium(sync_api) as running:
        yield running


def _open_missing(browser: object, base: str, path: str) -> tuple[object, object, list[str]]:
    """A missing page opened in a fresh tab: (context, tab, what went wrong on the site).

    Left out: the 404 itself, and what the root 404's head names at the host's root (`/assets/`
    without `site_url`): the browser's preloader asks for it before the page hands over.
    """
    url = base + path
    context, tab, _, errors = watched_tab(browser, 1280, console_errors=True)
    tab.goto(url)
    tab.wait_for_load_state("networkidle")
    the_404 = (f"404 {url}", f"status of 404 (Not Found) {{'url': '{url}'")
    return (
        context,
        tab,
        [e for e in errors if not any(said in e for said in the_404) and _on_site(e, base)],
    )


def _on_site(error: str, site: str) -> bool:
    """Whether an error names a URL of the site (or none): the host's root is not the site's."""
    urls = [word.strip("'\",{}") for word in error.split() if word.strip("'\"").startswith("http")]
    return not urls or any(u.startswith(site) for u in urls)


@pytest.mark.parametrize("prefix", ["/", "/stockkube-guide/"])
def test_a_missing_french_page_is_told_in_french_with_working_links(
    browser: object, site: Path, prefix: str
) -> None:
    with _served(site, prefix) as base:
        context, tab, errors = _open_missing(browser, base, "fr/no-such-page/deeper/")
        assert tab.url == f"{base}fr/no-such-page/deeper/"  # the reader's address stays
        assert tab.locator("h1").first.inner_text() == FRENCH_404
        assert tab.evaluate("document.documentElement.lang") == "fr"
        assert tab.evaluate("getComputedStyle(document.body).fontFamily") != ""
        assert tab.evaluate("!!document.querySelector('link[href*=stylesheets]').sheet")
        link = tab.locator("a[href='create-docker-images/']").first
        assert link.evaluate("a => a.href") == f"{base}fr/create-docker-images/"
        link.click()
        tab.wait_for_load_state("networkidle")
        assert tab.url == f"{base}fr/create-docker-images/"
        assert "Créer des images Docker" in tab.locator("h1").first.inner_text()
        assert errors == []
        context.close()


def test_the_french_404_searches_from_its_own_folder(browser: object, site: Path) -> None:
    with _served(site, "/stockkube-guide/") as base:
        context, tab, errors = _open_missing(browser, base, "fr/a/b/c")
        field = tab.locator("input.md-search__input")
        field.click()
        field.press_sequentially("conteneur", delay=50)
        results = tab.locator(".md-search-result__item a")
        results.first.wait_for(state="visible", timeout=15_000)
        hrefs = [a.evaluate("a => a.href") for a in results.all()]
        assert f"{base}fr/create-docker-images/" in [h.split("?")[0] for h in hrefs], hrefs
        assert errors == []
        context.close()


def test_a_missing_english_page_keeps_the_english_404(browser: object, site: Path) -> None:
    with _served(site, "/") as base:
        context, tab, errors = _open_missing(browser, base, "no-such-page")
        assert tab.locator("h1").first.inner_text() == "404 - Not found"
        assert tab.evaluate("document.documentElement.lang") == "en"
        href = tab.locator("a[href='/create-docker-images/']").first.evaluate("a => a.href")
        assert href == f"{base}create-docker-images/"
        assert errors == []
        context.close()
