"""mkdocs.yml parsed once per text: the same settings, the same errors, nothing stale."""

from __future__ import annotations

import json
from typing import Any

import pytest

from guiderunner.config_memo import remembered
from guiderunner.errors import UsageError
from guiderunner.settings import load_settings, load_yaml


class Counting:
    """load_yaml, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, text: str, source: str) -> Any:
        self.calls += 1
        return load_yaml(text, source)


def test_the_same_text_is_parsed_once(tmp_path):
    load = Counting()
    text = "site_name: x\nplugins:\n  - runner: {timeout: 5}\n"
    first = remembered(text, str(tmp_path / "mkdocs.yml"), tmp_path / "memo", load)
    again = remembered(text, str(tmp_path / "mkdocs.yml"), tmp_path / "memo", load)
    assert first == again == {"site_name": "x", "plugins": [{"runner": {"timeout": 5}}]}
    assert load.calls == 1


def test_a_changed_text_is_parsed_again(tmp_path):
    load = Counting()
    source, memo = str(tmp_path / "mkdocs.yml"), tmp_path / "memo"
    assert remembered("a: 1\n", source, memo, load) == {"a": 1}
    assert remembered("a: 2\n", source, memo, load) == {"a": 2}
    assert remembered("a: 1\n", source, memo, load) == {"a": 1}
    assert load.calls == 3


@pytest.mark.parametrize(
    "text",
    [
        "when: 2024-01-02\n",  # a date
        "true: x\n",  # a boolean key would come back a string
        "1: one\n",  # an int key would come back a string
        "s: !!set {a, b}\n",
        "n: .nan\n",
    ],
)
def test_what_json_cannot_give_back_is_parsed_each_time(tmp_path, text):
    load = Counting()
    source, memo = str(tmp_path / "mkdocs.yml"), tmp_path / "memo"
    first = remembered(text, source, memo, load)
    second = remembered(text, source, memo, load)
    assert load.calls == 2
    assert repr(first) == repr(second) == repr(load_yaml(text))


def test_an_error_names_its_line_every_time(tmp_path):
    source, memo = str(tmp_path / "mkdocs.yml"), tmp_path / "memo"
    for _ in range(2):
        with pytest.raises(UsageError, match=r"mkdocs.yml:2: invalid YAML"):
            remembered("a: 1\nb: c: d\n", source, memo, load_yaml)


@pytest.mark.parametrize("kept", ["", "[", "[1]", '{"sha256": 1}', '{"data": 1}'])
def test_a_damaged_memo_is_read_around(tmp_path, kept):
    source, memo = str(tmp_path / "mkdocs.yml"), tmp_path / "memo"
    remembered("a: 1\n", source, memo, load_yaml)
    (file,) = memo.iterdir()
    file.write_text(kept, encoding="utf-8")
    assert remembered("a: 1\n", source, memo, load_yaml) == {"a": 1}
    assert json.loads(file.read_text(encoding="utf-8"))["data"] == {"a": 1}


def test_a_memo_folder_that_cannot_be_written_only_costs_time(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert remembered("a: 1\n", str(tmp_path / "m.yml"), blocker / "memo", load_yaml) == {"a": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_the_settings_are_the_same_warm_or_cold(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: s\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n  - runner:\n      timeout: 7\n      placeholders: {org: acme}\n"
        "      translations: [fr]\n",
        encoding="utf-8",
    )
    cold = load_settings(config, environ={})
    warm = [load_settings(config, environ={}, memo=tmp_path / "memo") for _ in range(2)]
    assert cold == warm[0] == warm[1]
    assert len(list((tmp_path / "memo").iterdir())) == 1
