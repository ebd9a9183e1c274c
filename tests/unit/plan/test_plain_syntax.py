"""A command of plain words is planned without asking bash, and bash would have said yes.

The shortcut (guiderunner.plan.bash.plainly_parses) may only skip questions whose answer is
known: every text it takes is held here against a real bash, texts built from its alphabet,
bash's reserved words and the characters just outside it.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guiderunner.errors import GuideError
from guiderunner.plan.bash import _RESERVED, BashParser, plainly_parses

WORDS = st.sampled_from(
    [*_RESERVED, "echo", "a=b", "=x", "%1", "-", "--x", "@", "+", ",", ":", ".", "x.y/z", "_"]
)
ODD = st.sampled_from([*"'\"`$\\;&|<>()[]{}!#*?~\n\t ", "\r", "\x00", "é", "\u00a0"])
TEXTS = st.lists(st.one_of(WORDS, ODD, st.text("az09_./:=,@%+-", min_size=1)), max_size=6).map(
    " ".join
) | st.lists(st.one_of(WORDS, ODD), max_size=6).map("".join)


def bash_says(texts: list[str]) -> list[str]:
    """What bash itself answers, the shortcut bypassed."""
    with BashParser() as bash:
        return bash._asked(texts)


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=25))
def test_what_the_shortcut_takes_bash_parses(texts):
    plain = [t for t in texts if plainly_parses(t)]
    assert bash_says(plain) == [""] * len(plain)


def test_reserved_words_and_operators_still_go_to_bash():
    for text in ("fi", "echo hi; fi", "done", "if true", "echo a | ", "cat <<EOF", "{ echo"):
        assert not plainly_parses(text), text
    with BashParser() as bash:
        answers = bash.parse(["echo ok", "fi", "echo 'open", "ls -la /tmp"])
    assert (answers[0], answers[3]) == ("", "")
    assert "fi" in answers[1]
    assert answers[2]


def test_a_page_of_plain_commands_starts_no_bash_and_a_typo_still_fails(monkeypatch):
    started: list[object] = []
    real = BashParser._bash

    def counted(self):
        started.append(self)
        return real.fget(self)

    monkeypatch.setattr(BashParser, "_bash", property(counted))
    with BashParser() as bash:
        assert bash.parse(["echo hello", "ls -l docs/x.md", "A=1 env"]) == ["", "", ""]
    assert started == []
    from tests.unit.plan.test_plan import plan

    plan("```console\n$ echo hello\nhello\n```\n")
    assert started == []
    with pytest.raises(GuideError, match="bash cannot parse it"):
        plan("```console\n$ echo hello; fi\n```\n")
    assert started
