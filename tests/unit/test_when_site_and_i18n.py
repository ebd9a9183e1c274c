"""`runner: when` comments: never on the site, kept byte for byte in the French page."""

from __future__ import annotations

from guiderunner.i18n.apply import translate_page
from guiderunner.i18n.extract import extract_segments
from guiderunner.site.markup import strip_runner_comments

WHEN = (
    "<!-- runner: when builder=legacy\n"
    "```console\n$ docker build -t app .\nSuccessfully tagged app:latest\n```\n-->\n"
)
PAGE = (
    "# Build\n\nBuild the image:\n\n"
    + WHEN
    + "```console\n$ docker build -t app .\n => naming to docker.io/library/app:latest\n```\n"
)


def test_the_site_never_shows_a_when_comment():
    shown = strip_runner_comments(PAGE)
    assert "runner:" not in shown
    assert "Successfully tagged" not in shown
    assert "naming to docker.io" in shown


def test_the_french_page_keeps_when_comments_byte_for_byte():
    segments = extract_segments(PAGE)
    assert all("Successfully" not in s.text for s in segments)
    french = translate_page(PAGE, segments, {s.text: f"FR {s.text}" for s in segments})
    assert "FR Build the image:" in french
    assert WHEN in french
