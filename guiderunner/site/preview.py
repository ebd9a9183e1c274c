"""`runner serve`: the published site on 127.0.0.1, rebuilt and its page re-verified on save.

The site is the one `runner publish` builds (the command passes its build in, as `rebuild`),
served from its folder; every HTML page served gets a small banner that polls
`/__runner/status.json` and reloads the page when a rebuild is done. The watch loop polls the
pages and catalogs' modification times; once they have been quiet for a moment (an editor
writes a file in several steps), it verifies the page that changed, in a `runner verify`
process of its own (so a save during a run stops that run, and Ctrl-C stops everything),
and rebuilds the site meanwhile. The banner says "verifying...", "passed 3/3" or "failed at
line 40: output differs" for that page.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from guiderunner.errors import MissingPiece, UsageError
from guiderunner.model import NOT_PASSING

STATUS_PATH = "/__runner/status.json"
POLL = 0.25  # seconds between two looks at the watched files
QUIET = 0.4  # seconds without a change before a save counts as done
STOP_WAIT = 15.0  # seconds a verify process has to clean up after SIGTERM
BANNER = """<div id="runner-preview" data-state="{state}" style="position:fixed;bottom:0;right:0;\
z-index:10000;max-width:60em;padding:.4em .8em;font:14px/1.4 monospace;color:#fff;\
background:#37474f;white-space:pre-wrap">{text}</div>
<script>(function () {{
  var shown = {generation}, banner = document.getElementById("runner-preview");
  var colours = {{passed: "#1b5e20", failed: "#b71c1c", error: "#b71c1c", verifying: "#455a64"}};
  (function tick() {{
    fetch("{status}", {{cache: "no-store"}}).then(function (r) {{ return r.json(); }})
      .then(function (s) {{
        if (s.generation !== shown) {{ location.reload(); return; }}
        banner.textContent = s.text; banner.dataset.state = s.state;
        banner.style.background = colours[s.state] || "#37474f";
      }}).catch(function () {{}}).then(function () {{ setTimeout(tick, 500); }});
  }})();
}})();</script>
"""


@dataclass(frozen=True, slots=True)
class Preview:
    """What `runner serve` passes in: where things are, and the publish build."""

    site: Path
    """The folder `rebuild` writes and the server serves."""
    watched: tuple[Path, ...]
    """Folders whose files trigger a rebuild (docs/, translations/)."""
    port: int
    """On 127.0.0.1; 0 takes a free one."""
    rebuild: Callable[[], object]
    """The site built as `runner publish` builds it; UsageError when a page is invalid."""
    page_for: Callable[[Path], Path | None]
    """The page to verify when this file changed (a catalog gives its translated page)."""
    verify: Callable[[Path, Path], list[str]]
    """The `runner verify` command line for a page, writing its JSON report to a file."""
    report: Path
    """Where the verify process writes its JSON report."""


class Status:
    """What the banner shows; the watch loop, the verifier and the server share it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: dict[str, Any] = {"generation": 0, "page": "", "state": "idle"}
        self._data["text"] = "runner serve: save a page to verify it"

    def update(self, **changes: Any) -> None:
        """Change some fields at once."""
        with self._lock:
            self._data.update(changes)

    def snapshot(self) -> dict[str, Any]:
        """A copy, to send."""
        with self._lock:
            return dict(self._data)


def verdict(status: int, report: Mapping[str, Any] | None, stderr: str) -> tuple[str, str]:
    r"""A verify process's end as the banner says it: (state, text).

    >>> steps = [{"line": 7, "outcome": "passed"}, {"line": 9, "outcome": "failed",
    ...          "message": "output differs"}]
    >>> verdict(1, {"pages": [{"steps": steps}]}, "")
    ('failed', 'failed at line 9: output differs (1/2 passed)')
    >>> verdict(2, None, "runner: docs/a.md:3: unknown directive `x`\n")
    ('error', 'docs/a.md:3: unknown directive `x`')
    """
    pages = (report or {}).get("pages") or [{}]
    steps = [s for page in pages for s in page.get("steps", [])]
    passed = sum(1 for s in steps if s.get("outcome") == "passed")
    if status == 0:
        return "passed", f"passed {passed}/{len(steps)}"
    bad = next((s for s in steps if s.get("outcome") in NOT_PASSING), None)
    if status == 1 and bad is not None:
        where = f"failed at line {bad.get('line')}: {bad.get('message') or bad.get('outcome')}"
        return "failed", f"{where} ({passed}/{len(steps)} passed)"
    lines = [line.removeprefix("runner: ") for line in stderr.splitlines() if line.strip()]
    return "error", lines[-1] if lines else f"runner verify ended with status {status}"


class Verifier:
    """One `runner verify` process at a time; a new page to verify stops the one running."""

    def __init__(self, preview: Preview, status: Status) -> None:
        self._preview, self._status = preview, status
        self._process: subprocess.Popen[str] | None = None
        self._thread: threading.Thread | None = None

    def start(self, page: Path) -> None:
        """Verify `page` in the background; the banner says so at once."""
        self.stop()
        self._preview.report.unlink(missing_ok=True)
        name = label(page, self._preview.watched)
        self._status.update(page=name, state="verifying", text=f"{name}: verifying...")
        command = self._preview.verify(page, self._preview.report)
        self._process = subprocess.Popen(  # its own session: Ctrl-C reaches it only through us
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self._thread = threading.Thread(target=self._wait, args=(name, self._process), daemon=True)
        self._thread.start()

    def _wait(self, name: str, process: subprocess.Popen[str]) -> None:
        _, stderr = process.communicate()
        if process.returncode < 0 or process is not self._process:
            return  # stopped: a newer save or the end of the preview
        try:
            report = json.loads(self._preview.report.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            report = None
        state, text = verdict(process.returncode, report, stderr)
        self._status.update(state=state, text=f"{name}: {text}")

    def stop(self) -> None:
        """Stop the running verify process: SIGTERM lets it clean up; then SIGKILL."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_WAIT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._thread is not None:
            self._thread.join(timeout=STOP_WAIT)
            self._thread = None


def label(page: Path, watched: Iterable[Path]) -> str:
    """How the banner names a page: as under docs/, or `fr/page.md` for a translated one.

    >>> label(Path("/p/docs/a/b.md"), [Path("/p/docs")]), label(Path("/p/build/docs/fr/b.md"), [])
    ('a/b.md', 'fr/b.md')
    """
    for folder in watched:
        if page.is_relative_to(folder):
            return page.relative_to(folder).as_posix()
    return f"{page.parent.name}/{page.name}"


class Handler(SimpleHTTPRequestHandler):
    """The site's files; HTML pages with the banner; the status as JSON."""

    status: Status

    def do_GET(self) -> None:
        """The status, a page with its banner, or any other file as it is."""
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == STATUS_PATH:
            self._send(json.dumps(self.status.snapshot()).encode(), "application/json")
            return
        file = Path(self.translate_path(path))
        if file.is_dir() and path.endswith("/"):
            file = file / "index.html"
        if file.suffix == ".html" and file.is_file():
            self._send(with_banner(file.read_text(encoding="utf-8"), self.status.snapshot()))
            return
        super().do_GET()

    def _send(self, body: bytes, kind: str = "text/html; charset=utf-8") -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is for the build and the verdicts."""


def with_banner(html: str, status: Mapping[str, Any]) -> bytes:
    """The page with the banner before `</body>` (or at its end)."""
    from html import escape

    banner = BANNER.format(
        state=escape(str(status["state"])),
        text=escape(str(status["text"])),
        generation=int(status["generation"]),
        status=STATUS_PATH,
    )
    at = html.rfind("</body>")
    return (html[:at] + banner + html[at:] if at >= 0 else html + banner).encode()


def snapshot(folders: Iterable[Path]) -> dict[Path, float]:
    """Every file under the folders, with its modification time."""
    found = {}
    for folder in folders:
        for path in folder.rglob("*") if folder.is_dir() else ():
            try:
                if path.is_file():
                    found[path] = path.stat().st_mtime
            except OSError:
                continue
    return found


def serve(preview: Preview, say: Callable[[str], None]) -> None:
    """Serve until interrupted (KeyboardInterrupt or the CLI's Interrupted), then stop it all."""
    status = Status()
    handler = partial(type("Bound", (Handler,), {"status": status}), directory=str(preview.site))
    try:
        server = ThreadingHTTPServer(("127.0.0.1", preview.port), handler)
    except OSError as error:
        raise MissingPiece(f"cannot listen on 127.0.0.1:{preview.port}: {error}") from None
    server.daemon_threads = True
    try:
        preview.rebuild()  # after the port is ours, before anyone is told to come
    except BaseException:
        server.server_close()
        raise
    thread = threading.Thread(target=server.serve_forever, args=(POLL,), daemon=True)
    thread.start()
    verifier = Verifier(preview, status)
    say(f"serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
    try:
        _watch(preview, status, verifier, say)
    finally:
        verifier.stop()
        server.shutdown()
        server.server_close()
        thread.join(timeout=STOP_WAIT)


def _watch(
    preview: Preview, status: Status, verifier: Verifier, say: Callable[[str], None]
) -> None:
    """Forever: wait for a save, verify its page, rebuild."""
    seen = snapshot(preview.watched)
    while True:
        time.sleep(POLL)
        now = snapshot(preview.watched)
        if now == seen:
            continue
        while True:  # debounce: until the files stay the same for QUIET seconds
            time.sleep(QUIET)
            later = snapshot(preview.watched)
            if later == now:
                break
            now = later
        changed = sorted(p for p in now.keys() | seen.keys() if now.get(p) != seen.get(p))
        seen = now
        pages = [page for page in map(preview.page_for, changed) if page is not None]
        for path in changed:
            say(f"changed: {path}")
        written = [p for p in pages if any(p.is_relative_to(w) for w in preview.watched)]
        if written:  # a page as saved: verified while the site builds
            verifier.start(written[0])
        _rebuild(preview, status, say)
        if pages and not written and pages[0].is_file():  # a translation: built first
            verifier.start(pages[0])


def _rebuild(preview: Preview, status: Status, say: Callable[[str], None]) -> None:
    """The publish build; the banner reloads after it, or says why it failed."""
    try:
        preview.rebuild()
    except UsageError as error:
        say(f"rebuild failed: {error}")
        status.update(state="error", text=f"rebuild failed: {_reason(str(error))}")
        return
    status.update(generation=int(status.snapshot()["generation"]) + 1)


def _reason(message: str) -> str:
    """The line of a build's error an author acts on: the one naming a page and line, if any."""
    lines = [line.strip() for line in message.splitlines() if line.strip()] or [message]
    return next((line for line in lines if re.search(r"\S+\.md:\d+: ", line)), lines[0])
