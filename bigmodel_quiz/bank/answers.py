"""Reading and grading a user's answer to each question type."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import cast

from bigmodel_quiz.bank.loader import LETTERS
from bigmodel_quiz.bank.model import QType, Question
from bigmodel_quiz.bank.units import AnswerFormatError, Hint, parse_quantity, unit_label

TRUE_WORDS = {"t", "true", "y", "yes", "对", "是", "正确", "真", "√"}
FALSE_WORDS = {"f", "false", "n", "no", "错", "否", "错误", "假", "×"}


class Unparsable(Hint):
    """The answer could not be read; the message is a one-line hint in both languages."""


@dataclass(frozen=True)
class Verdict:
    """How an answer was judged."""

    correct: bool
    score: float  # 1.0 right, 0.0 wrong; short answers: fraction of concepts covered
    normalized: str  # the answer as understood, e.g. "A,C" or "1.24e+08 params"
    covered: tuple[int, ...] = ()  # short answers: indexes of the concepts found
    missed: tuple[int, ...] = ()
    rating: int | None = None  # short answers: the user's own recall rating, 1 Again .. 4 Easy
    matcher_score: float | None = None  # short answers: the matcher's share of key points, kept beside the rating
    note: Hint | None = None  # numeric answers: a nudge when a fraction was given for a percentage or the reverse


RATINGS = {1: ("Again", "忘了"), 2: ("Hard", "困难"), 3: ("Good", "良好"), 4: ("Easy", "轻松")}
_RATING_WORDS = {word.lower(): n for n, names in RATINGS.items() for word in names}
_RATING_WORDS.update({"a": 1, "h": 2, "g": 3, "e": 4})


def parse_rating(text: str) -> int | None:
    """1-4 from ``3``, ``good``, ``g`` or ``良好`` (full-width too); None when it is none of them."""
    word = unicodedata.normalize("NFKC", text).strip().lower().rstrip(".。")
    if word in {"1", "2", "3", "4"}:
        return int(word)
    return _RATING_WORDS.get(word)


def rated(verdict: Verdict, rating: int) -> Verdict:
    """A short answer's verdict once the user rated it: Again is wrong, the rest right."""
    from dataclasses import replace

    ok = rating > 1
    return replace(verdict, correct=ok, score=float(ok), rating=rating, matcher_score=verdict.score)


def _letters(text: str, n_choices: int) -> list[str]:
    valid = LETTERS[:n_choices]
    # "A,C", "a c", "(b)", "B.", "c、a。": separators, brackets and end punctuation are ignored
    cleaned = re.sub(r"[\s,;/、，；.。()（）]+", "", text.strip().upper())
    if cleaned.isdigit():
        out = [LETTERS[int(ch) - 1] if ch != "0" and int(ch) <= n_choices else "?" for ch in cleaned]
    else:
        out = list(cleaned)
    bad = [ch for ch in out if ch not in valid]
    if not out or bad:
        raise Unparsable(f"answer with letters {valid[0]}-{valid[-1]} (or numbers 1-{n_choices})",
                         f"请用字母 {valid[0]}-{valid[-1]}（或数字 1-{n_choices}）作答")
    return out


# The key-point matcher (its regexes, rapidfuzz) is loaded by the first short answer, not before the first question.


def short_coverage(question: Question, text: str, *, negation: bool = True) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Which key concepts the answer covers, in any language, and which it misses (a hint only)."""
    from bigmodel_quiz.bank.keypoints import coverage

    return coverage([[p for ps in c.phrases.values() for p in ps] for c in question.keywords], text,
                    negation=negation)


def grade(question: Question, text: str) -> Verdict:
    """Judge ``text`` as an answer to ``question``; Unparsable when it cannot be read."""
    text = unicodedata.normalize("NFKC", text)  # full-width "Ｂ", "３", "１４ＧＢ" read as typed on a Latin keyboard
    if not text.strip():
        raise Unparsable("type an answer, or q to stop", "请输入答案，或输入 q 结束")
    qt = question.type
    if qt is QType.SINGLE:
        letters = _letters(text, len(question.choices))
        if len(letters) != 1:
            raise Unparsable("one letter only: this question has a single answer", "只能选一个字母：本题是单选题")
        ok = letters[0] == question.answer
        return Verdict(ok, float(ok), letters[0])
    if qt is QType.MULTI:
        got = tuple(sorted(set(_letters(text, len(question.choices)))))
        ok = got == question.answer
        return Verdict(ok, float(ok), ",".join(got))
    if qt is QType.TRUEFALSE:
        word = text.strip().lower().rstrip(".!。！")
        if word in TRUE_WORDS:
            value = True
        elif word in FALSE_WORDS:
            value = False
        else:
            raise Unparsable("answer t or f (true/false, y/n, 对/错)", "请回答 t 或 f（对/错、y/n）")
        ok = value == question.answer
        return Verdict(ok, float(ok), "true" if value else "false")
    if qt is QType.NUMERIC:
        try:
            number = parse_quantity(text, question.unit)
        except AnswerFormatError as exc:
            raise Unparsable(f"{exc}; e.g. 1.2e9, 124M, 14 GB", f"{exc.zh}；例如 1.2e9、124M、14 GB") from None
        expected = float(cast(float, question.answer))
        ok = question.tolerance.accepts(expected, number)
        note = None if ok else _scale_nudge(question, expected, number)
        return Verdict(ok, float(ok), f"{shown_number(number)} {question.unit}".strip(), note=note)
    covered, missed = short_coverage(question, text)
    needed = question.min_keywords or 1
    ok = len(covered) >= needed
    score = len(covered) / len(question.keywords) if question.keywords else 0.0
    return Verdict(ok, score, text.strip(), covered, missed)


def shown_number(value: float) -> str:
    """A number as the user reads it back: ``124,439,808``, ``9.313``, ``3.15e+23``."""
    if value.is_integer() and 1000 <= abs(value) < 1e15:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def _scale_nudge(question: Question, expected: float, value: float) -> Hint | None:
    tol = question.tolerance
    if question.unit == "%" and tol.accepts(expected, value * 100):
        return Hint(f"a fraction? {shown_number(value)} is {shown_number(value * 100)} %: this question wants percent",
                    f"是小数吗？{shown_number(value)} 即 {shown_number(value * 100)}%：本题要求百分数")
    if question.unit == "" and 0 < abs(expected) <= 1 and tol.accepts(expected, value / 100):
        return Hint(f"a percentage? {shown_number(value)} % is {shown_number(value / 100)}: this question wants a fraction",
                    f"是百分数吗？{shown_number(value)}% 即 {shown_number(value / 100)}：本题要求小数")
    return None


def answer_text(question: Question, lang: str) -> str:
    """The right answer as shown to the user."""
    qt = question.type
    if qt is QType.SINGLE:
        return f"{question.answer}. {question.choice_text(LETTERS.index(cast(str, question.answer)), lang)}"
    if qt is QType.MULTI:
        return ", ".join(cast("tuple[str, ...]", question.answer))
    if qt is QType.TRUEFALSE:
        if lang == "zh":
            return "对" if question.answer else "错"
        return "true" if question.answer else "false"
    if qt is QType.NUMERIC:
        value = float(cast(float, question.answer))
        # Whole numbers with separators up to 1e15; beyond that float digits are noise.
        shown = f"{value:,.0f}" if value.is_integer() and 1000 <= abs(value) < 1e15 else f"{value:.6g}"
        tolerance = question.tolerance.describe(lang)
        unit = unit_label(question.unit, lang)
        return f"{shown} {unit}".strip() + (f"（{tolerance}）" if lang == "zh" else f" ({tolerance})")
    return question.text("model_answer", lang)
