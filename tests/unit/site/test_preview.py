"""`runner serve`'s pieces: the banner, the verdict it says, the files it watches, bad ports."""

from __future__ import annotations

import socket

import pytest

from guiderunner.site.preview import STATUS_PATH, snapshot, verdict, with_banner

STATUS = {"generation": 7, "page": "a.md", "state": "failed", "text": "a.md: <b> & 'x'"}


def test_the_banner_goes_before_the_end_of_the_body_escaped():
    html = with_banner("<html><body><p>page</p></body></html>", STATUS).decode()
    assert html.index('id="runner-preview"') < html.index("</body>")
    assert "a.md: &lt;b&gt; &amp; &#x27;x&#x27;" in html
    assert "var shown = 7," in html
    assert STATUS_PATH in html
    assert "http" not in html.replace("http.server", ""), "nothing fetched from another host"
    assert with_banner("no body", STATUS).decode().startswith("no body<div")


@pytest.mark.parametrize(
    ("status", "report", "stderr", "wanted"),
    [
        (0, {"pages": [{"steps": [{"outcome": "passed"}] * 3}]}, "", ("passed", "passed 3/3")),
        (0, {"pages": [{"steps": [{"outcome": "skipped"}]}]}, "", ("passed", "passed 0/1")),
        (1, None, "runner: boom\n", ("error", "boom")),
        (3, None, "runner: no Docker engine answers\n", ("error", "no Docker engine answers")),
        (130, None, "", ("error", "runner verify ended with status 130")),
        (
            1,
            {"pages": [{"steps": [{"line": 4, "outcome": "error", "message": "timed out"}]}]},
            "",
            ("failed", "failed at line 4: timed out (0/1 passed)"),
        ),
    ],
)
def test_the_verdict_as_the_banner_says_it(status, report, stderr, wanted):
    assert verdict(status, report, stderr) == wanted


def test_snapshot_sees_every_file_and_a_missing_folder_is_empty(tmp_path):
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "sub" / "a.md").write_text("a")
    found = snapshot([tmp_path / "docs", tmp_path / "translations"])
    assert list(found) == [tmp_path / "docs" / "sub" / "a.md"]


@pytest.fixture
def project(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Hi\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nnav:\n  - index.md\n")
    return tmp_path


def test_a_port_out_of_range_is_a_usage_error(runner, project):
    run = runner("serve", "--port", "70000")
    assert run.status == 2
    assert run.err == "runner: --port 70000: wants 0 to 65535\n"


def test_a_port_in_use_is_said_in_one_line_before_any_build(runner, project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = runner("serve", "--port", str(port))
    assert run.status == 3
    assert run.err.startswith(f"runner: cannot listen on 127.0.0.1:{port}:")
    assert not (project / "site").exists(), "nothing built"


def test_a_failed_rebuild_names_the_page_and_line_when_the_build_does():
    from guiderunner.site.preview import _reason

    message = "mkdocs build of the English site failed:\n  docs/a.md:5: unknown directive"
    assert _reason(message) == "docs/a.md:5: unknown directive"
    assert _reason("one line only") == "one line only"
