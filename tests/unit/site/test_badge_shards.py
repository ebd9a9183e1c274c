"""A merged report's badge names the tools of the shard that verified the page."""

from __future__ import annotations

from guiderunner.site.badge import badge_facts

MERGED = {
    "finished": "2026-11-29T10:00:00+00:00",
    "environment": {"docker": None, "dotnet": "10.0.100"},  # the shards disagree on Docker
    "pages": [
        {
            "path": "docs/a.md",
            "content_hash": "h1",
            "passed": True,
            "verified_at": "2026-11-28T09:00:00+00:00",
            "environment": {"docker": "27.5.1", "dotnet": "10.0.100"},
        },
        {"path": "docs/b.md", "content_hash": "h2", "passed": True},
    ],
}


def test_each_page_shows_its_own_shards_tools_and_day():
    facts = badge_facts("a.md", "h1", MERGED, tools={"docker": "Docker", "dotnet": ".NET"})
    assert facts.tools == (("Docker", "27.5.1"), (".NET", "10.0.100"))
    assert facts.day is not None
    assert facts.day.isoformat() == "2026-11-28"


def test_a_page_without_its_own_environment_falls_back_to_the_reports():
    tools = {"docker": "Docker", "dotnet": ".NET"}
    assert badge_facts("b.md", "h2", MERGED, tools=tools).tools == ((".NET", "10.0.100"),)
