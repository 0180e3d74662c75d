"""Choices shuffled per presentation; practice picks unseen, then weak and due questions; groups apart."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bigmodel_quiz.bank.answers import grade
from bigmodel_quiz.bank.choices import bank_letters, present
from bigmodel_quiz.bank.loader import LETTERS, load
from bigmodel_quiz.session.history import Seen
from bigmodel_quiz.session.select import select
from bigmodel_quiz.errors import ExitCode

FIXTURES = Path(__file__).parent / "fixtures" / "banks"
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)

BANK = """
topic: {id: sel, title: {en: Sel, zh: 选}, description: {en: d, zh: d}}
questions:
%s
"""
ONE = """  - id: %s
    type: single
    difficulty: easy
    tags: [t]
    %s
    prompt: {en: "Prompt number %s about a distinct idea %s?", zh: "第 %s 题：%s？"}
    choices: [{en: "right", zh: "对"}, {en: "wrong one", zh: "错一"}, {en: "wrong two", zh: "错二"}, {en: "wrong three", zh: "错三"}]
    answer: A
    explanation: {en: "[[A]] is right; [[B]] is a common slip.", zh: "[[A]] 正确；[[B]] 是常见错误。"}
    references: [{source: "A book", locator: "p. 1"}]
"""
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]


def _bank(tmp_path: Path, groups: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    groups = groups or {}
    body = "".join(ONE % (f"sel-{w}", f"group: {groups[w]}" if w in groups else "", i, w * 3, i, w)
                   for i, w in enumerate(WORDS))
    (tmp_path / "sel.yaml").write_text(BANK % body, encoding="utf-8")
    bank, problems = load([tmp_path])
    assert not problems, problems
    return bank


def test_choices_are_shuffled_reproducibly_and_graded_in_shown_letters(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    first = select(bank, count=None, seed=7)
    assert [q.choices for q in first] == [q.choices for q in select(bank, count=None, seed=7)]
    positions = {q.answer for seed in range(6) for q in select(bank, count=None, seed=seed)}
    assert len(positions) >= 3  # the right answer is not always A
    for q in first:
        assert q.choices[LETTERS.index(q.answer)]["en"] == "right"
        assert grade(q, q.answer).correct
        assert bank_letters(q, grade(q, q.answer).normalized) == "A"  # history keeps the bank's letter
        # the explanation's markers name the shown letters
        wrong = LETTERS[[c["en"] for c in q.choices].index("wrong one")]
        assert q.explanation["en"] == f"{q.answer} is right; {wrong} is a common slip."


def test_marker_outside_a_session_is_the_bank_letter(cli, tmp_path: Path, monkeypatch) -> None:
    _bank(tmp_path)
    monkeypatch.setenv("QUIZ_BANK_DIR", str(tmp_path))
    docs = json.loads(cli("export", "bank").stdout)
    assert docs[0]["explanation"]["en"] == "A is right; B is a common slip." and docs[0]["answer"] == "A"


def test_multi_choice_answers_are_mapped() -> None:
    bank, _ = load([FIXTURES])
    q = next(q for q in bank.questions if q.id == "demo-multi")  # A,C of 2,3,4,5
    shown = present(q, (3, 2, 1, 0))  # 5, 4, 3, 2
    assert shown.answer == ("B", "D") and grade(shown, "d,b").correct
    assert bank_letters(shown, "B,D") == "A,C"


def test_validate_rejects_a_bare_letter_in_an_explanation(cli, tmp_path: Path) -> None:
    _bank(tmp_path)
    text = (tmp_path / "sel.yaml").read_text(encoding="utf-8")
    bad = text.replace('"[[A]] is right; [[B]] is a common slip."', '"(A) is right, option B is not."', 1)
    bad = bad.replace('"[[A]] 正确；[[B]] 是常见错误。"', '"选项A正确，lp(B) 只是函数。"', 1)
    (tmp_path / "sel.yaml").write_text(bad, encoding="utf-8")
    result = cli("validate", str(tmp_path))
    assert result.exit_code != ExitCode.OK
    out = result.stdout + (result.stderr or "")
    assert "explanation.en: '(A)' names a choice by its letter" in out
    assert "'option B'" in out and "'选项A'" in out and "lp(B)" not in out


def _seen(at: datetime, right: bool = True, n: int = 1) -> Seen:
    return Seen(at, n, n if right else 0, right)


def test_unseen_first_then_weak_never_the_last_day_unless_exhausted(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    old, recent = NOW - timedelta(days=3), NOW - timedelta(minutes=3)
    seen = {"sel-alpha": _seen(recent), "sel-bravo": _seen(old, right=False), "sel-charlie": _seen(old),
            "sel-delta": _seen(old), "sel-echo": _seen(old), "sel-foxtrot": _seen(old)}
    ids = [q.id for q in select(bank, count=3, seed=1, seen=seen, now=NOW)]
    assert set(ids) == {"sel-golf", "sel-hotel", "sel-bravo"}  # two unseen, then the weak one
    ids = [q.id for q in select(bank, count=7, seed=1, seen=seen, now=NOW)]
    assert "sel-alpha" not in ids  # answered three minutes ago
    ids = [q.id for q in select(bank, count=8, seed=1, seen=seen, now=NOW)]
    assert ids[-1] == "sel-alpha"  # only when the pool is exhausted


def test_a_group_is_asked_once_per_session(tmp_path: Path) -> None:
    bank = _bank(tmp_path, groups={w: "same-idea" for w in WORDS[:5]})
    for seed in range(5):
        ids = [q.id for q in select(bank, count=None, seed=seed)]
        assert len([i for i in ids if i in {f"sel-{w}" for w in WORDS[:5]}]) == 1
        assert len(ids) == 4


def test_a_session_answered_today_is_not_repeated(cli, tmp_path: Path, monkeypatch) -> None:
    _bank(tmp_path)
    monkeypatch.setenv("QUIZ_BANK_DIR", str(tmp_path))
    cli("start", "--count", "4", "--seed", "3", "--lang", "en", input="a\n" * 4)
    first = {h["question_id"] for h in json.loads(cli("export", "history").stdout)}
    cli("start", "--count", "4", "--seed", "3", "--lang", "en", input="a\n" * 4)
    history = json.loads(cli("export", "history").stdout)
    second = {h["question_id"] for h in history[4:]}
    assert len(first) == 4 and not first & second  # the same seed, but the other half of the pool
    assert all(h["given"] in "ABCD" for h in history)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_shown_letter_is_what_the_feedback_names(cli, tmp_path: Path, monkeypatch, lang: str) -> None:
    bank = _bank(tmp_path)
    monkeypatch.setenv("QUIZ_BANK_DIR", str(tmp_path))
    q = select(bank, count=1, seed=11)[0]
    wrong = next(ch for ch in "ABCD" if ch != q.answer)
    out = cli("start", "--count", "1", "--seed", "11", "--lang", lang, input=f"{wrong}\n").stdout
    assert f"{q.answer}. {'right' if lang == 'en' else '对'}" in out
