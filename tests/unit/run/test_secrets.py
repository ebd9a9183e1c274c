from __future__ import annotations

import pytest

from guiderunner.errors import UsageError
from guiderunner.run.secrets import SecretMask, secret_values
from guiderunner.settings import DEFAULT_SECRETS as DEFAULT_PATTERNS
from guiderunner.settings import load_settings


def test_default_patterns_pick_tokens_passwords_secrets_and_keys():
    environ = {
        "DOCKERHUB_TOKEN": "tok-123",
        "DB_PASSWORD": "pw-456",
        "APP_SECRET": "sec-789",
        "SSH_KEY": "key-000",
        "KEYBOARD": "not-a-secret",
        "X_TOKEN": "ab",  # too short to mask without masking ordinary output
    }
    assert set(secret_values(environ, DEFAULT_PATTERNS)) == {
        "tok-123",
        "pw-456",
        "sec-789",
        "key-000",
    }


def test_a_secret_containing_another_is_masked_whole():
    mask = SecretMask(secret_values({"A_TOKEN": "abc", "B_TOKEN": "xxabcxx"}, DEFAULT_PATTERNS))
    assert mask("xxabcxx and abc") == "*** and ***"


def test_held_back_is_the_longest_tail_that_starts_a_secret():
    mask = SecretMask(("hunter2", "hu"))
    assert mask.held_back("hello hunt") == 4
    assert mask.held_back("hello") == 0
    assert mask.held_back("") == 0


def test_the_secrets_setting_replaces_the_default_patterns(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("plugins:\n  - runner:\n      secrets: [API_*]\n")
    assert load_settings(config, environ={}).secrets == ("API_*",)
    config.write_text("plugins:\n  - runner:\n      secrets: API_*\n")
    with pytest.raises(UsageError, match="secrets"):
        load_settings(config, environ={})
