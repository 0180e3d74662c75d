"""Numbers as people write them: unit words in both languages, full-width digits, a little arithmetic."""

from __future__ import annotations

import math

import pytest

from bigmodel_quiz.bank.answers import grade
from bigmodel_quiz.bank.model import QType, Question, Tolerance
from bigmodel_quiz.bank.units import AnswerFormatError, parse_quantity


def _numeric(answer: float, unit: str, rel: float = 0.01) -> Question:
    return Question(id="n", topic="t", type=QType.NUMERIC, difficulty="easy", tags=(), prompt={"en": "?"},
                    explanation={"en": "."}, references=("r",), answer=answer, unit=unit, tolerance=Tolerance(rel=rel))


@pytest.mark.parametrize(("text", "unit", "value"), [
    # every example seen rejected or misread
    ("0.742 nats", "", 0.742),
    ("1.4 epochs", "", 1.4),
    ("34天", "days", 34),
    ("174 billion", "params", 174e9),
    ("36.79 percent", "%", 36.79),
    ("10.7G", "GB", 10.7),
    ("1/e", "", 1 / math.e),
    ("３", "", 3),
    # unit and scale words in both languages
    ("1.4 epochs", "epochs", 1.4),
    ("12 bits", "", 12),
    ("百分之36.79", "%", 36.79),
    ("36.8%", "", 0.368),
    ("70亿", "params", 7e9),
    ("5400 亿 tokens", "tokens", 5.4e11),
    ("3万亿", "", 3e12),
    ("十亿", "", None),  # no digits: not a number
    ("2.5 thousand steps", "steps", 2500),
    ("1.2 trillion tokens", "tokens", 1.2e12),
    ("1 million", "", 1e6),
    ("3小时", "h", 3),
    ("36 hours", "days", 1.5),
    ("2 天", "h", 48),
    ("10.7G", "GiB", 10.7),
    ("10.7 Gi", "GB", 10.7 * 2**30 / 1e9),
    ("3.5T", "FLOPs", 3.5e12),
    ("１４ＧＢ", "GB", 14),
    ("约 14 GB", "GB", 14),
    ("about 14 GB", "GB", 14),
    # a little arithmetic, never eval
    ("1/e nats", "", 1 / math.e),
    ("exp(2.3)", "", math.exp(2.3)),
    ("2^30 B", "GiB", 1),
    ("(1 - 0.5)^2", "", 0.25),
    ("6 * 7e9 * 2e12", "FLOPs", 8.4e22),
    ("1/8", "%", 0.125),
])
def test_numbers_as_people_write_them(text: str, unit: str, value: float | None) -> None:
    if value is None:
        with pytest.raises(AnswerFormatError):
            parse_quantity(text, unit)
    else:
        assert parse_quantity(text, unit) == pytest.approx(value)


@pytest.mark.parametrize("text", ["1/0", "2^10000", "1e400", "__import__('os')", "3 e", "exp 2", "(1+2",
                                  "1,2,3", "2 parsecs"])
def test_what_cannot_be_read_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(AnswerFormatError) as caught:
        parse_quantity(text, "")
    assert "\n" not in str(caught.value)


def test_a_full_width_letter_is_a_letter() -> None:
    q = Question(id="s", topic="t", type=QType.SINGLE, difficulty="easy", tags=(), prompt={"en": "?"},
                 explanation={"en": "."}, references=("r",), choices=({"en": "a"}, {"en": "b"}), answer="B")
    assert grade(q, "Ｂ").correct and grade(q, "（ｂ）").correct and grade(q, "２").correct


def test_a_wrong_answer_shows_how_it_was_read() -> None:
    v = grade(_numeric(10, "GiB"), "10 GB")
    assert not v.correct and v.normalized == "9.313 GiB" and v.note is None


def test_a_fraction_for_a_percentage_gets_a_nudge() -> None:
    v = grade(_numeric(36.79, "%"), "0.368")
    assert not v.correct and v.normalized == "0.368 %"
    assert v.note is not None and "36.8 %" in v.note.text("en") and "百分数" in v.note.text("zh")
    assert grade(_numeric(36.79, "%"), "36.79 percent").correct
    v = grade(_numeric(0.3679, ""), "36.8")
    assert not v.correct and v.note is not None and "fraction" in v.note.text("en")
    assert grade(_numeric(0.3679, ""), "36.8%").correct and grade(_numeric(0.3679, ""), "1/e").correct


def test_right_answers_show_no_nudge() -> None:
    assert grade(_numeric(174e9, "params"), "174 billion").note is None


def test_feedback_shows_the_reading_in_both_languages(cli, monkeypatch, tmp_path) -> None:
    from pathlib import Path

    monkeypatch.setenv("QUIZ_BANK_DIR", str(Path(__file__).parent / "fixtures" / "banks"))
    result = cli("start", "--topic", "demo", "--type", "numeric", "--seed", "2", "--count", "1", "--lang", "en",
                 input="10 GiB\n")
    assert "Unit: GB" in result.stdout and "read as: 10.74 GB" in result.stdout
    monkeypatch.setenv("QUIZ_HOME", str(tmp_path))  # a fresh history: the same question comes first again
    result = cli("start", "--topic", "demo", "--type", "numeric", "--seed", "2", "--count", "1", "--lang", "zh",
                 input="10 GiB\n")
    assert "单位：GB" in result.stdout and "你的答案读作：10.74 GB" in result.stdout and "答案：14 GB" in result.stdout


def test_a_chinese_session_speaks_chinese_around_the_question(cli, monkeypatch) -> None:
    from pathlib import Path

    monkeypatch.setenv("QUIZ_BANK_DIR", str(Path(__file__).parent / "fixtures" / "banks"))
    out = cli("start", "--topic", "demo", "--type", "single", "--lang", "zh", input="q\n").stdout
    assert "演示主题 · 单选 · 简单" in out and "demo · single" not in out


@pytest.mark.parametrize("text", ["14 Gb", "14Gbit", "14 Gbits", "112 Mb"])
def test_bits_are_not_bytes(text: str) -> None:
    """``Gb``/``Gbit`` are gigabits: a unit of their own, never read as gigabytes."""
    with pytest.raises(AnswerFormatError) as err:
        parse_quantity(text, "GB")
    assert "bit" in str(err.value) and "\n" not in str(err.value)
    assert "比特" in err.value.text("zh")


@pytest.mark.parametrize(("text", "unit", "value"), [
    ("8 Gbit", "bits", 8e9),
    ("1 kb", "bits", 1e3),
    ("14 GB", "GB", 14),
    ("500 µs", "ms", 0.5),
    ("500 μs", "ms", 0.5),
    ("500us", "ms", 0.5),
    ("500 微秒", "ms", 0.5),
    ("2000000 ns", "ms", 2),
    ("38 597 376", "params", 38597376),
    ("38 597 376", "", 38597376),
    ("1\u00a0024 MB", "MB", 1024),
])
def test_bits_and_microseconds_are_units(text: str, unit: str, value: float) -> None:
    assert parse_quantity(text, unit) == pytest.approx(value)


def test_unit_names_are_chinese_in_a_chinese_answer() -> None:
    from bigmodel_quiz.bank.answers import answer_text
    from bigmodel_quiz.bank.units import unit_label

    assert unit_label("params", "zh") == "个参数" and unit_label("tokens", "zh") == "个 token"
    assert unit_label("GB", "zh") == "GB" and unit_label("params", "en") == "params"
    assert answer_text(_numeric(7e9, "params"), "zh").startswith("7,000,000,000 个参数（")
    assert answer_text(_numeric(2048, "tokens"), "zh").startswith("2,048 个 token（")
    assert answer_text(_numeric(7e9, "params"), "en").startswith("7,000,000,000 params (")


def test_a_chinese_session_shows_unit_names_in_chinese(cli, monkeypatch) -> None:
    from pathlib import Path

    monkeypatch.setenv("QUIZ_BANK_DIR", str(Path(__file__).parent / "fixtures" / "banks"))
    out = cli("start", "--topic", "demo", "--type", "numeric", "--count", "5", "--seed", "1", "--lang", "zh",
              input="1\n1\n1\n1\n1\n").stdout
    import re

    assert "个参数" in out
    assert not re.search(r"(?<![-\w])(params|tokens)\b", out), out  # question ids aside
