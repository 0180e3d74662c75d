"""Short answers are self-rated everywhere; the key-point matcher is a negation-aware hint."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest

from bigmodel_quiz.bank.answers import grade, parse_rating
from bigmodel_quiz.bank.model import Concept, QType, Question
from terminal import spawn
from bigmodel_quiz.errors import ExitCode

FIXTURES = Path(__file__).parent / "fixtures" / "banks"


def _short(qid: str, *concepts: tuple[list[str], list[str]]) -> Question:
    return Question(id=qid, topic="t", type=QType.SHORT, difficulty="hard", tags=(), prompt={"en": "?"},
                    explanation={"en": "."}, references=("r",), min_keywords=2, model_answer={"en": "m"},
                    keywords=tuple(Concept({"en": tuple(en), "zh": tuple(zh)}) for en, zh in concepts))


DROPOUT = _short(
    "dropout",
    (["ensemble", "bagging", "averaging many subnetworks", "thinned networks"], ["集成", "对大量子网络求平均", "子网络"]),
    (["co-adaptation", "co-adapt", "rely on specific units", "redundant features"], ["共适应", "依赖特定神经元"]),
    (["noise", "multiplicative noise", "random masking"], ["噪声", "乘性噪声"]),
    (["scale by 1/(1-p)", "inverted dropout", "identity at inference", "turned off at test time"], ["乘以 1/(1-p)", "测试时关闭"]),
)
DOUBLE_DESCENT = _short(
    "double-descent",
    (["interpolation threshold", "zero training error"], ["插值阈值", "训练误差为零"]),
    (["classical u-shape", "bias-variance trade-off"], ["经典 U 形", "偏差方差权衡"]),
    (["over-parameterized", "second descent"], ["过参数化", "第二次下降"]),
    (["implicit regularization", "minimum norm"], ["隐式正则化", "最小范数"]),
)
LEAKAGE = _short(
    "target-leakage",
    (["not available at prediction time", "prediction time", "future information"], ["预测时无法获得", "未来信息"]),
    (["suspiciously high", "too good to be true", "fails in production"], ["高得可疑", "上线后失效"]),
    (["feature importance", "one feature dominates"], ["特征重要性", "一家独大"]),
    (["remove the feature", "drop the feature", "split by time"], ["删除该特征", "按时间划分"]),
)


def test_a_negated_key_phrase_does_not_count() -> None:
    v = grade(DOUBLE_DESCENT, "double descent has nothing to do with the interpolation threshold or the bias-variance trade-off")
    assert v.covered == () and not v.correct
    v = grade(DOUBLE_DESCENT, "Test error peaks at the interpolation threshold and falls again when over-parameterized")
    assert v.covered == (0, 2)
    assert grade(DOUBLE_DESCENT, "it is not the bias-variance trade-off, but the interpolation threshold matters").covered == (0,)
    assert grade(DOUBLE_DESCENT, "not only the interpolation threshold but also the second descent").covered == (0, 2)


@pytest.mark.parametrize(("text", "phrase"), [
    ("it is not because of three matrices", "three matrices"),
    ("it isn't because of three matrices", "three matrices"),
    ("this is not so much about the learning rate", "learning rate"),
    ("不是因为有三个矩阵", "三个矩阵"),
])
def test_a_negated_reason_does_not_count(text: str, phrase: str) -> None:
    from bigmodel_quiz.bank.keypoints import coverage

    assert coverage([[phrase]], text)[0] == ()
    assert coverage([[phrase]], text.replace("not ", "").replace("n't", "").replace("不是", "是"))[0] == (0,)


@pytest.mark.parametrize(("text", "covered"), [
    ("双下降不是插值阈值造成的，也与偏差方差权衡无关", ()),
    ("双下降和偏差方差权衡无关，但在插值阈值处误差最大", (0,)),
    ("误差在插值阈值处达到峰值，过参数化后第二次下降", (0, 2)),
])
def test_chinese_negations(text: str, covered: tuple) -> None:
    assert grade(DOUBLE_DESCENT, text).covered == covered


def test_a_phrase_that_carries_its_own_negation_still_counts() -> None:
    v = grade(LEAKAGE, "a feature that is not available at prediction time leaks the label; the score looks too good to be true")
    assert v.covered == (0, 1)
    # prevention left out: the checklist shows it as not found
    assert 3 in v.missed


def test_a_bare_list_of_keywords_covers_nothing() -> None:
    assert grade(DROPOUT, "ensemble co-adapt").covered == ()
    assert grade(DROPOUT, "it is like an ensemble and stops units that co-adapt").covered == (0, 1)


def test_the_paraphrase_from_the_field_is_left_to_the_user() -> None:
    # A right answer in other words: the matcher may miss points, the user's rating decides.
    text = ("randomly drops units so the net can't rely on any single neuron; like averaging an exponential"
            " number of subnetworks; PyTorch rescales during training so eval is a no-op")
    v = grade(DROPOUT, text)
    assert v.score < 1.0
    from bigmodel_quiz.bank.answers import rated

    good = rated(v, 3)
    assert good.correct and good.rating == 3 and good.matcher_score == v.score
    assert not rated(v, 1).correct


@pytest.mark.parametrize(("text", "rating"), [("3", 3), (" ３ ", 3), ("good", 3), ("G", 3), ("again", 1),
                                              ("忘了", 1), ("轻松", 4), ("hard.", 2), ("5", None), ("", None)])
def test_ratings_are_read_in_both_languages(text: str, rating: int | None) -> None:
    assert parse_rating(text) == rating


@pytest.fixture
def demo_banks(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("QUIZ_BANK_DIR", str(FIXTURES))
    return FIXTURES


@pytest.mark.parametrize(("rating", "correct"), [("1", False), ("2", True), ("good", True)])
def test_practice_records_the_rating_in_line_mode(cli, demo_banks, rating: str, correct: bool) -> None:
    result = cli("start", "--topic", "demo", "--type", "short", "--lang", "en",
                 input=f"dropout and weight decay\n{rating}\n")
    assert result.exit_code == ExitCode.OK, result.output
    assert "Model answer" in result.stdout and "2/3 found" in result.stdout
    assert "✓ Right" not in result.stdout and "Not quite" not in result.stdout  # the rating decides, not the matcher
    history = json.loads(cli("export", "history").stdout)
    assert [(h["question_id"], h["correct"], h["rating"]) for h in history] == [("demo-short", correct, parse_rating(rating))]
    assert history[0]["matcher_score"] == pytest.approx(2 / 3)
    if not correct:
        assert "Missed: demo-short" in result.stdout


def test_the_rating_feeds_the_scheduler(cli, demo_banks, quiz_home: Path) -> None:
    from bigmodel_quiz.review.cards import load_cards, make_scheduler, sync_cards
    from bigmodel_quiz.store import open_store

    # The matcher finds 2 of 3 points (Hard if derived); the user says Easy.
    assert cli("start", "--topic", "demo", "--type", "short", "--lang", "en",
               input="dropout and weight decay\n4\n").exit_code == ExitCode.OK
    with open_store(quiz_home) as store:
        sync_cards(store, make_scheduler(fuzz=False))
        card = load_cards(store)["demo-short"]
    assert (card.due - card.card.last_review).days >= 4  # Easy graduates at once; Hard would stay in minutes


def test_a_wrong_rating_line_is_asked_again_and_eof_records_nothing(cli, demo_banks) -> None:
    result = cli("start", "--topic", "demo", "--type", "short", "--lang", "zh", input="用 dropout 和权重衰减\n7\n")
    assert "请输入 1、2、3 或 4" in result.stdout
    assert json.loads(cli("export", "history").stdout) == []  # unrated: the rating decides what is recorded


@pytest.mark.parametrize("stop", ["", "q\n"], ids=["end-of-input", "q"])
@pytest.mark.parametrize("mode", ["practice", "mock"])
def test_stopping_at_the_rating_prompt_records_nothing_like_ctrl_c(cli, demo_banks, stop: str, mode: str) -> None:
    result = cli("start", "--topic", "demo", "--type", "short", "--mode", mode, "--lang", "en",
                 input=f"dropout and weight decay\n{stop}")
    assert result.exit_code == ExitCode.OK, result.output
    assert "Missed" not in result.stdout
    assert json.loads(cli("export", "history").stdout) == []


def test_ctrl_c_at_the_rating_prompt_records_nothing(demo_banks, quiz_home: Path) -> None:
    from bigmodel_quiz.bank.loader import load_bank
    from bigmodel_quiz.session.runner import run_session
    from bigmodel_quiz.store import open_store

    class IO:
        def show_question(self, q, index, total):  # type: ignore[no-untyped-def]
            pass

        def ask(self, q):  # type: ignore[no-untyped-def]
            return "dropout and weight decay"

        def show_hint(self, hint):  # type: ignore[no-untyped-def]
            pass

        def show_feedback(self, q, verdict):  # type: ignore[no-untyped-def]
            pass

        def ask_rating(self, q, verdict):  # type: ignore[no-untyped-def]
            raise KeyboardInterrupt

    short = [q for q in load_bank([demo_banks]).questions if q.type.value == "short"]
    with open_store(quiz_home) as store:
        summary = run_session(short, IO(), store)
        assert store.answers() == []
    assert summary.stopped_early and summary.answered == 0


def test_mock_short_answers_are_rated_too(cli, demo_banks) -> None:
    result = cli("start", "--mode", "mock", "--topic", "demo", "--type", "short", "--lang", "en",
                 input="dropout and weight decay\n1\n")
    assert result.exit_code == ExitCode.OK, result.output
    assert "Model answer" in result.stdout and "Missed: demo-short" in result.stdout
    history = json.loads(cli("export", "history").stdout)
    assert [(h["mode"], h["correct"], h["rating"]) for h in history] == [("mock", False, 1)]


def test_practice_short_answer_in_a_terminal(quiz_home: Path) -> None:
    env = dict(os.environ, QUIZ_HOME=str(quiz_home), QUIZ_BANK_DIR=str(FIXTURES), TERM="xterm")
    child = spawn(sys.executable, ["-m", "bigmodel_quiz", "start", "--topic", "demo", "--type", "short", "--lang", "en"],
                  env=env, encoding="utf-8", timeout=30, dimensions=(50, 100))
    child.expect("Your answer")
    child.sendline("I would use dropout")
    child.expect("1/3 found in your answer")
    child.expect("Model answer")
    child.expect(r"1 Again  2 Hard  3 Good  4 Easy")
    child.sendline("h")
    child.expect("Recorded: Hard")
    child.expect("Session summary")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == ExitCode.OK
