"""``quiz review`` in a real terminal: a short answer, its covered/missed points, the 1-4 rating."""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import pexpect
import pytest

from terminal import spawn
from bigmodel_quiz.errors import ExitCode

QUIZ = Path(sys.executable).parent / "quiz"

BANK = """\
topic:
  id: prep
  title: {en: Prep, zh: 准备}
  description: {en: One short question., zh: 一道简答题。}
questions:
  - id: prep-overfit
    type: short
    difficulty: medium
    tags: [regularisation]
    prompt: {en: "Name ways to reduce overfitting.", zh: "说出减轻过拟合的方法。"}
    keywords:
      - {en: [dropout], zh: [dropout, 随机失活]}
      - {en: [weight decay, l2 regularization], zh: [权重衰减, L2 正则]}
      - {en: [more data, data augmentation], zh: [更多数据, 数据增强]}
    min_keywords: 2
    model_answer: {en: "Dropout, weight decay, more data.", zh: "dropout、权重衰减、更多数据。"}
    explanation: {en: "Each limits capacity or adds data.", zh: "每种方法都限制容量或增加数据。"}
    references: [{source: "Srivastava et al., Dropout, JMLR 15(56), 2014", locator: p. 1}]
"""


@pytest.fixture
def term_env(quiz_home: Path, tmp_path: Path) -> dict:
    banks = tmp_path / "banks"
    banks.mkdir()
    (banks / "prep.yaml").write_text(BANK, encoding="utf-8")
    env = dict(os.environ)
    env.update(QUIZ_HOME=str(quiz_home), QUIZ_BANK_DIR=str(banks), COLUMNS="100", LINES="50", TERM="xterm")
    return env


def _spawn(args: list[str], env: dict) -> pexpect.spawn:
    command = str(QUIZ) if QUIZ.exists() else sys.executable
    argv = args if QUIZ.exists() else ["-m", "bigmodel_quiz", *args]
    return spawn(command, argv, env=env, encoding="utf-8", timeout=30, dimensions=(50, 100))


def _card(home: Path):  # type: ignore[no-untyped-def]
    from bigmodel_quiz.review.cards import load_cards
    from bigmodel_quiz.store import open_store

    with open_store(home) as store:
        return load_cards(store)["prep-overfit"]


def test_short_answer_points_model_answer_then_rating(term_env: dict, quiz_home: Path) -> None:
    child = _spawn(["review", "--lang", "en"], term_env)
    child.expect("Your answer")
    child.sendline("dropout and weight decay")
    child.expect(r"2/3 found in your answer")
    child.expect("dropout")
    child.expect("weight decay")
    child.expect("more data / data augmentation")
    child.expect(r"Model answer:")
    child.expect(r"Dropout, weight decay, more data\.")
    child.expect(r"1 Again  2 Hard  3 Good  4 Easy")
    child.sendline("7")  # not a rating: asked again
    child.expect(r"1 Again  2 Hard  3 Good  4 Easy")
    child.sendline("4")
    child.expect("Session summary")
    child.expect(r"Next card due in \d+ days")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == ExitCode.OK

    card = _card(quiz_home)
    # Easy: straight to days-long review; the rating derived from 2 of 3 points would be Hard (minutes).
    assert card.reps == 1 and card.due - card.card.last_review >= timedelta(days=4)

    again = _spawn(["review", "--lang", "en"], term_env)
    again.expect(r"Nothing due now\. Next card due in \d+ days")
    again.expect(pexpect.EOF)
    again.close()
    assert again.exitstatus == ExitCode.OK


def test_again_is_asked_once_more_before_the_end(term_env: dict, quiz_home: Path) -> None:
    child = _spawn(["review", "--lang", "zh"], term_env)
    child.expect("你的答案")
    child.sendline("不知道")
    child.expect("找到 0/3 个")
    child.expect("回忆得怎么样")
    child.sendline("1")
    child.expect("结束前再来一遍")
    child.expect("你的答案")
    child.sendline("随机失活、权重衰减、数据增强")
    child.expect("找到 3/3 个")
    child.expect("回忆得怎么样")
    child.sendline("3")
    child.expect("本次练习小结")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == ExitCode.OK
    card = _card(quiz_home)
    assert card.reps == 2
