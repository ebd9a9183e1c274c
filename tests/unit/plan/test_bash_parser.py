"""The page's one bash parser answers each text in order, errors and all, question by question."""

from __future__ import annotations

from guiderunner.plan.bash import BashParser


def test_errors_between_good_texts_each_get_their_own_message() -> None:
    texts = ["echo a", "fi", "echo b", "echo 'x", "echo c", "cat <<EOF\nbody", "done; done"]
    with BashParser() as bash:
        first = bash.parse(texts)
        again = bash.parse(["echo d", "then", "echo e"])
    assert first[0] == first[2] == first[4] == ""
    assert "`fi'" in first[1]
    assert "unexpected EOF" in first[3]
    assert "`fi'" not in first[3]
    assert first[5]
    assert "`done'" in first[6]
    assert "`fi'" not in first[6]
    assert again[0] == again[2] == ""
    assert "`then'" in again[1]


def test_many_texts_and_odd_ones_keep_their_order() -> None:
    texts = [f"echo {i}" for i in range(2000)]
    texts[700] = "echo __runner_end"
    texts[1500] = "( echo"
    texts[1999] = "x\0y"  # a NUL cannot reach bash: dropped
    with BashParser() as bash:
        answers = bash.parse(texts)
    assert len(answers) == 2000
    assert [i for i, a in enumerate(answers) if a] == [1500]
