"""Ask bash itself whether shell text is complete, and whether it parses: one bash per page.

A `> ` line under a command continues it only while bash would still print its continuation
prompt (an open quote, a heredoc, a trailing `|` or `&&`...). Rather than guess, the plan asks
bash. One `bash -i` (interactive, so a parse error never ends it) serves the whole page: each
question is a file of NUL-separated texts; bash defines each text as the body of a function it
never calls (`eval`, so nothing runs) and answers one line per text: `ok`, or its error.
"""

from __future__ import annotations

import functools
import re
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from guiderunner.closing import Closing
from guiderunner.errors import missing_command

_DRIVER = r"""
__runner_parse() {
  local text err texts=() answers=()
  mapfile -t -d '' texts <"$1"
  exec 2>"$1.err"
  for text in "${texts[@]}"; do
    if eval "__runner_try() {
:
$text
}"; then
      answers+=(ok)
    else
      err=; IFS= read -r -d '' err <"$1.err"
      answers+=("${err//$'\n'/ | }")
      exec 2>"$1.err"
    fi
  done
  exec 2>/dev/null
  local IFS=$'\n'
  printf '%s\n%s\n' "${answers[*]}" __runner_end
}
while IFS= read -r file; do __runner_parse "$file"; done
"""
"""Per question, the texts are read at once, bash's stderr goes to the error file (emptied
again after each error) and the answers are written at once: per text, no system call."""

_RESERVED = frozenset(
    {"!", "[[", "]]", "{", "}", "case", "coproc", "do", "done", "elif", "else", "esac", "fi"}
    | {"for", "function", "if", "in", "select", "then", "time", "until", "while"}
)
"""bash's reserved words: a text holding one as a word is always asked about."""

_INCOMPLETE = ("unexpected end of file", "unexpected EOF", "here-document at line")
_AT_OUR_BRACE = "unexpected token `}'"


class BashParser(Closing):
    """One bash process that parses texts without running them (a context manager)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None

    @property
    def _bash(self) -> subprocess.Popen[str]:
        """The bash process, started at the first question (a page without commands has none)."""
        if self._process is None:
            try:
                self._process = subprocess.Popen(
                    ["bash", "--noprofile", "--norc", "-i", "+m", "-c", _DRIVER],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    text=True,
                    env={"PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": "/nonexistent"},
                    start_new_session=True,  # no controlling terminal: job control stays off
                )
            except FileNotFoundError:
                raise missing_command("bash") from None
        return self._process

    def close(self) -> None:
        """End the bash process, if it was started."""
        process, self._process = self._process, None
        if process is None:
            return
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def parse(self, texts: Sequence[str]) -> list[str]:
        """For each text, "" when bash parses it, else bash's message (one line).

        A text of plain words (see `plainly_parses`) is answered without bash: a page of such
        commands starts no bash to plan it.
        """
        asked = [text for text in texts if not plainly_parses(text)]
        answers = iter(self._asked(asked))
        return ["" if plainly_parses(text) else next(answers) for text in texts]

    def _asked(self, texts: Sequence[str]) -> list[str]:
        """Bash's answer to each text, one question for all of them."""
        if not texts:
            return []
        assert self._bash.stdin is not None
        assert self._bash.stdout is not None
        with tempfile.TemporaryDirectory(prefix="runner-parse-") as folder:
            questions = Path(folder) / "texts"
            questions.write_text(
                "".join(f"{text.replace(chr(0), '')}\0" for text in texts), encoding="utf-8"
            )
            self._bash.stdin.write(f"{questions}\n")
            self._bash.stdin.flush()
            answers = []
            for line in self._bash.stdout:
                if line.rstrip("\n") == "__runner_end":
                    break
                answers.append(line.rstrip("\n"))
        if len(answers) != len(texts):  # bash died: no answer is not a yes
            answers += ["bash stopped while parsing"] * (len(texts) - len(answers))
        return ["" if a == "ok" else _message(a) for a in answers]

    def incomplete(self, texts: Sequence[str]) -> list[bool]:
        """For each text, would bash still wait for more lines (its `> ` prompt)?"""
        return [is_incomplete(message) for message in self.parse(texts)]


@functools.cache
def _plain_line() -> re.Pattern[str]:
    """One line of words of letters, digits and `_./:=,@%+-`, spaces between (built on use)."""
    return re.compile(r"[ \t]*[\w./:=,@%+-]+(?:[ \t]+[\w./:=,@%+-]+)*[ \t]*", re.ASCII)


def plainly_parses(text: str) -> bool:
    """Does bash parse this text whatever it holds? One line of plain words, none reserved.

    Such a line is a simple command: no quote, expansion, redirection, operator, glob,
    comment or continuation can start in it, and without a reserved word no compound
    command can either (tests/unit/plan/test_plain_syntax.py holds this against bash).

    >>> plainly_parses("echo hello"), plainly_parses("echo 'hi'"), plainly_parses("fi")
    (True, False, False)
    """
    return bool(_plain_line().fullmatch(text)) and _RESERVED.isdisjoint(text.split())


def is_incomplete(message: str) -> bool:
    """Is bash's complaint that the text ran out (into our closing brace, or the end)?

    >>> is_incomplete("unexpected EOF while looking for matching `''"), is_incomplete("")
    (True, False)
    """
    return any(part in message for part in _INCOMPLETE) or message.startswith(_AT_OUR_BRACE)


def _message(answer: str) -> str:
    """The first complaint of bash, without its `bash: eval: line N: ` prefix."""
    parts = [p for p in answer.split(" | ") if "warning: here-document" not in p] or [answer]
    first = parts[0]
    for prefix in ("syntax error near ", "syntax error: ", "unexpected EOF"):
        at = first.find(prefix)
        if at >= 0:
            return first[at:].removeprefix("syntax error near ").removeprefix("syntax error: ")
    return first.rsplit(": ", 1)[-1]
