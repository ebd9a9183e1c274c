"""The verify cache keys on the page's environment fingerprint: a change of builder re-verifies."""

from __future__ import annotations

from guiderunner.store.cache import VerifyCache

BUILDKIT = {"builder": "buildkit", "docker_server": "20.10", "images": [{"id": "sha256:1"}]}
LEGACY = {**BUILDKIT, "builder": "legacy"}


def test_a_pass_under_one_builder_is_no_pass_under_the_other(tmp_path):
    cache, page = VerifyCache(tmp_path, {"docker": "20.10"}), tmp_path / "p.md"
    cache.remember(page, "h", passed=True, environment=BUILDKIT)
    assert cache.hit(page, "h", BUILDKIT) is not None
    assert cache.hit(page, "h", LEGACY) is None


def test_each_builder_keeps_its_own_pass(tmp_path):
    cache, page = VerifyCache(tmp_path, {}), tmp_path / "p.md"
    cache.remember(page, "h", passed=True, environment=BUILDKIT)
    cache.remember(page, "h", passed=True, environment=LEGACY)
    assert cache.hit(page, "h", BUILDKIT) is not None
    assert cache.hit(page, "h", LEGACY) is not None
    cache.remember(page, "h", passed=False, environment=LEGACY)
    assert cache.hit(page, "h", BUILDKIT) is not None
    assert cache.hit(page, "h", LEGACY) is None


def test_a_rebuilt_base_image_re_verifies(tmp_path):
    cache, page = VerifyCache(tmp_path, {}), tmp_path / "p.md"
    cache.remember(page, "h", passed=True, environment=BUILDKIT)
    rebuilt = {**BUILDKIT, "images": [{"id": "sha256:2"}]}
    assert cache.hit(page, "h", rebuilt) is None
