"""Reading answers: letters, true/false in both languages, numbers with units, short answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bigmodel_quiz.bank.answers import Unparsable, answer_text, grade
from bigmodel_quiz.bank.loader import load
from bigmodel_quiz.bank.units import AnswerFormatError, parse_quantity

FIXTURES = Path(__file__).parent / "fixtures" / "banks"


@pytest.fixture(scope="module")
def qs():
    bank, problems = load([FIXTURES])
    assert not problems
    return {q.id: q for q in bank.questions}


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("1.2e9", "", 1.2e9),
        ("124M", "params", 124e6),
        ("1.5B", "params", 1.5e9),
        ("124,439,808", "params", 124439808),
        ("124M params", "params", 124e6),
        ("14 GB", "GB", 14),
        ("~14 GB", "GB", 14),
        ("≈14GB", "GB", 14),
        ("14 GB.", "GB", 14),
        ("14GiB", "GB", 14 * 2**30 / 1e9),
        ("14000 MB", "GB", 14),
        ("1 TiB", "GiB", 1024),
        ("3.5 TFLOPs", "FLOPs", 3.5e12),
        ("3.5e12", "TFLOPs", 3.5e12),
        ("2 days", "h", 48),
        ("25%", "%", 25),
        ("25", "%", 25),
        ("-0.5", "", -0.5),
        ("1.2×10^9", "params", 1.2e9),
        ("1.2 * 10**9", "", 1.2e9),
        ("1.5·10^-3", "", 1.5e-3),
        ("2^30 B", "GiB", 1),
        ("2**-20", "", 2**-20),
    ],
)
def test_quantities(text: str, unit: str, value: float) -> None:
    assert parse_quantity(text, unit) == pytest.approx(value)


@pytest.mark.parametrize(("text", "unit"), [("14 GB", "params"), ("abc", ""), ("1,2,3", ""), ("5 parsecs", "GB"), ("3 s", "GB")])
def test_bad_quantities(text: str, unit: str) -> None:
    with pytest.raises(AnswerFormatError):
        parse_quantity(text, unit)


def test_decimal_and_binary_units_are_distinct(qs) -> None:
    q = qs["demo-numeric"]  # 14 GB ±1 %
    assert grade(q, "14 GB").correct
    assert grade(q, "14e9 B").correct
    assert not grade(q, "14 GiB").correct  # 15.03 GB
    assert grade(q, "13.04 GiB").correct


@pytest.mark.parametrize(("text", "ok"), [("b", True), ("B", True), (" 2 ", True), ("a", False), ("3", False),
                                         ("b.", True), ("(b)", True), ("B)", True), ("（B）。", True), ("2.", True),
                                         ("a.", False)])
def test_single(qs, text: str, ok: bool) -> None:
    assert grade(qs["demo-single"], text).correct is ok


@pytest.mark.parametrize("text", ["A,C", "ca", "a c", "C A", "1,3", "a;c", "A、C", "A, C.", "(a)(c)", "c，a。"])
def test_multi_separators(qs, text: str) -> None:
    v = grade(qs["demo-multi"], text)
    assert v.correct and v.normalized == "A,C"


def test_multi_partial_is_wrong(qs) -> None:
    assert not grade(qs["demo-multi"], "A").correct
    assert not grade(qs["demo-multi"], "A,B,C").correct


@pytest.mark.parametrize(("text", "ok"), [("f", True), ("false", True), ("N", True), ("错", True),
                                         ("t", False), ("true", False), ("y", False), ("对", False)])
def test_truefalse_both_languages(qs, text: str, ok: bool) -> None:
    assert grade(qs["demo-tf"], text).correct is ok


@pytest.mark.parametrize(("qid", "text"), [("demo-single", "E"), ("demo-single", "A,B"), ("demo-single", ""),
                                           ("demo-multi", "Z"), ("demo-tf", "maybe"), ("demo-numeric", "lots"),
                                           ("demo-numeric", "14 params"),
                                           ("demo-single", "Answer: b"), ("demo-single", "."), ("demo-numeric", "~")])
def test_unparsable_gets_a_hint(qs, qid: str, text: str) -> None:
    with pytest.raises(Unparsable) as exc:
        grade(qs[qid], text)
    assert str(exc.value) and "\n" not in str(exc.value)


def test_short_answer_concepts_fuzzy_and_bilingual(qs) -> None:
    q = qs["demo-short"]
    v = grade(q, "Use dropout and L2 regularisation")
    assert v.correct and v.covered == (0, 1) and v.missed == (2,)
    assert grade(q, "可以用数据增强和权重衰减").correct
    assert grade(q, "dropuot plus weight-decay").correct  # typos still count
    v = grade(q, "train longer")
    assert not v.correct and v.covered == ()
    assert grade(q, "I would use dropuot").covered == (0,)  # a typo'd word in a sentence still counts
    assert grade(q, "dropuot").covered == ()  # a bare keyword (fewer words than key points) covers nothing


@pytest.mark.parametrize("text", ["a", "e", "o", "ou", "out", "drop", "weight", "data", "ta", "正则", "数据"])
def test_a_fragment_of_a_key_phrase_covers_nothing(qs, text: str) -> None:
    v = grade(qs["demo-short"], text)
    assert not v.correct and v.covered == (), v


def test_answer_text(qs) -> None:
    assert answer_text(qs["demo-single"], "en") == "B. Right one"
    assert answer_text(qs["demo-tf"], "zh") == "错"
    assert answer_text(qs["demo-numeric"], "en") == "14 GB (±1%)"
    assert answer_text(qs["demo-multi"], "en") == "A, C"


def test_huge_numeric_answer_is_shown_without_float_noise(qs) -> None:
    import dataclasses

    q = dataclasses.replace(qs["demo-numeric"], answer=6 * 175e9 * 300e9, unit="FLOPs")
    assert answer_text(q, "en").startswith("3.15e+23 FLOPs")


def test_spaces_next_to_chinese_do_not_matter(qs) -> None:
    from bigmodel_quiz.bank.keypoints import normalize

    assert normalize("用 Dropout 和 权重衰减") == normalize("用dropout和权重衰减") == "用dropout和权重衰减"
    assert grade(qs["demo-short"], "用dropout和L2 正则").correct


def test_hints_follow_the_session_language(qs) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Unparsable) as caught:
        grade(qs["demo-numeric"], "3 days")
    assert caught.value.text("en") == "'days' is not a unit of the same kind as GB; e.g. 1.2e9, 124M, 14 GB"
    assert caught.value.text("zh") == "'days' 与 GB 不是同一类单位；例如 1.2e9、124M、14 GB"
    with pytest.raises(Unparsable) as caught:
        grade(qs["demo-numeric"], "lots")
    assert caught.value.text("en") == "expected a number; e.g. 1.2e9, 124M, 14 GB"  # the example once, not twice
    assert caught.value.text("zh") == "需要一个数；例如 1.2e9、124M、14 GB"


@pytest.mark.parametrize(("phrase", "text", "found"), [
    ("dropout", "use dropuot", True),  # one swap
    ("dropout", "use dropot", True),  # one missing letter
    ("ranking", "the training process", False),  # "raining" is another word, two edits away
    ("meaning", "the learning rate", False),
    ("bias", "more bins", False),  # short phrases: exact only
    ("weight decay", "add wieght decay", True),  # long phrases: similarity
    ("data augmentation", "a", False),
    ("8 experts", "2 experts per token", False),  # a number is never a typo
    ("top-2 routing", "top-2 routnig", True),
])
def test_key_phrase_matching_tells_typos_from_other_words(phrase: str, text: str, found: bool) -> None:
    from bigmodel_quiz.bank.keypoints import negated_spans, normalize, phrase_found

    assert phrase_found(phrase, normalize(text), negated_spans(normalize(text))) is found
