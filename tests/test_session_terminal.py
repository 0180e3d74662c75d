"""A real-terminal session (pexpect): right, wrong, unparsable, then Ctrl-C."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest

from terminal import spawn
from bigmodel_quiz.errors import ExitCode

FIXTURES = Path(__file__).parent / "fixtures" / "banks"


@pytest.fixture
def term_env(quiz_home: Path) -> dict:
    env = dict(os.environ)
    env.update(QUIZ_HOME=str(quiz_home), QUIZ_BANK_DIR=str(FIXTURES), COLUMNS="100", LINES="50", TERM="xterm")
    return env


def _spawn(args: list[str], env: dict) -> pexpect.spawn:
    return spawn(sys.executable, ["-m", "bigmodel_quiz", *args], env=env, encoding="utf-8",
                         timeout=30, dimensions=(50, 100))


def test_right_wrong_unparsable_then_ctrl_c(term_env: dict) -> None:
    # Seeded order of the demo bank without short answers: fixed by --seed.
    from bigmodel_quiz.bank.loader import load
    from bigmodel_quiz.session.select import select

    bank, _ = load([FIXTURES])
    order = select(bank, topics=["demo"], count=None, qtype="truefalse", seed=1)
    assert [q.id for q in order] == ["demo-tf"]

    shown = select(bank, topics=["demo"], qtype="single", seed=1)[0]  # choices are shown shuffled
    child = _spawn(["start", "--topic", "demo", "--type", "single", "--lang", "en", "--seed", "1"], term_env)
    child.expect("Your answer")
    child.sendline(shown.answer)
    child.expect("Right")
    child.expect("Session summary")
    child.expect(pexpect.EOF)

    shown = select(bank, topics=["demo"], qtype="multi", seed=1)[0]
    child = _spawn(["start", "--topic", "demo", "--type", "multi", "--lang", "en", "--seed", "1"], term_env)
    child.expect("Your answer")
    child.sendline(shown.answer[0])  # wrong: one of the two right letters
    child.expect("Not quite")
    child.expect(pexpect.EOF)

    child = _spawn(["start", "--topic", "demo", "--type", "numeric", "--lang", "en"], term_env)
    child.expect("Your answer")
    child.sendline("fourteen")  # unparsable: a hint, then asked again
    child.expect("e.g. 1.2e9")
    child.expect("Your answer")
    child.sendintr()
    child.expect("Session stopped")
    child.expect(pexpect.EOF)
    assert "Session summary" not in child.before  # nothing answered: no empty table
    child.close()
    assert child.exitstatus == ExitCode.OK

    export = _spawn(["export", "history"], term_env)
    export.expect(pexpect.EOF)
    text = export.before
    history = json.loads(text[text.index("["):])
    assert [(h["question_id"], h["correct"]) for h in history] == [("demo-single", True), ("demo-multi", False)]


def test_ctrl_d_ends_a_session(term_env: dict) -> None:
    child = _spawn(["start", "--topic", "demo", "--lang", "zh", "--count", "2"], term_env)
    child.expect("你的答案")
    child.sendeof()
    child.expect("练习已结束")
    child.expect(pexpect.EOF)
    assert "本次练习小结" not in child.before
    child.close()
    assert child.exitstatus == ExitCode.OK


@pytest.mark.parametrize("command", [["start", "--topic", "demo", "--lang", "en"], ["review", "--lang", "en"]],
                         ids=["start", "review"])
def test_ctrl_c_leaves_the_stop_line_on_a_line_of_its_own(term_env: dict, command: list[str]) -> None:
    child = _spawn(command, term_env)
    child.expect("Your answer")
    child.sendintr()
    child.expect("(Session|Review) stopped")
    stopped_line = (child.before + child.after).splitlines()[-1]
    assert stopped_line.lstrip().startswith(("Session stopped", "Review stopped")), repr(stopped_line)
    child.expect(pexpect.EOF)
