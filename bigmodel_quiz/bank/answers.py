"""Reading and grading a user's answer to each question type."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bigmodel_quiz.bank.loader import LETTERS
from bigmodel_quiz.bank.model import QType, Question
from bigmodel_quiz.bank.units import AnswerFormatError, Hint, parse_quantity

TRUE_WORDS = {"t", "true", "y", "yes", "对", "是", "正确", "真", "√"}
FALSE_WORDS = {"f", "false", "n", "no", "错", "否", "错误", "假", "×"}
FUZZY_MATCH = 85.0  # rapidfuzz partial ratio for a long key phrase to count as present
EXACT_BELOW = 6  # phrases shorter than this (abbreviations, Chinese terms) must appear as written
FUZZY_FROM = 9  # phrases from this length on are matched by similarity; in between, one typo is allowed


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


_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_SPACE_BY_CJK = re.compile(f"(?<=[{_CJK}])\\s+|\\s+(?=[{_CJK}])")


def _normalize(text: str) -> str:
    # Chinese is written without spaces, and people differ on spacing around
    # Latin words inside it ("用 dropout" vs "用dropout"): drop spaces next to CJK.
    text = re.sub(r"\s+", " ", text.lower()).strip()
    return _SPACE_BY_CJK.sub("", text)


_DIGITS = re.compile(r"\d+")


def _same_numbers(phrase: str, found: str) -> bool:
    # A number is never a typo: "2 experts" does not match "8 experts".
    return _DIGITS.findall(phrase) == _DIGITS.findall(found)


def _one_typo_away(p: str, text: str) -> bool:
    """Whether some stretch of ``text`` is ``p`` with at most one typo (swapped, missing, extra or wrong character)."""
    from rapidfuzz.distance import DamerauLevenshtein

    for size in (len(p) - 1, len(p), len(p) + 1):
        for start in range(len(text) - size + 1):
            window = text[start:start + size]
            if DamerauLevenshtein.distance(p, window, score_cutoff=1) <= 1 and _same_numbers(p, window):
                return True
    return False


def _phrase_found(phrase: str, text: str) -> bool:
    from rapidfuzz import fuzz

    p = _normalize(phrase)
    if not p:
        return False
    if p in text:
        return True
    if len(p) < EXACT_BELOW:  # "bias" is one letter from "bins": short phrases must match exactly
        return False
    if len(p) < FUZZY_FROM:
        # A similarity score cannot tell a typo ("dropuot") from another word one
        # letter off ("raining" for "ranking"): allow exactly one edit, a swap included.
        return _one_typo_away(p, text)
    if len(text) < len(p):
        # partial_ratio would look for the shorter string, the answer, inside the
        # phrase: "a" would then "cover" every phrase with an a in it.
        return fuzz.ratio(p, text) >= FUZZY_MATCH and _same_numbers(p, text)
    best = fuzz.partial_ratio_alignment(p, text, score_cutoff=FUZZY_MATCH)
    return best is not None and _same_numbers(p, text[best.dest_start:best.dest_end])


def short_coverage(question: Question, text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Which key concepts the answer covers, in any language, and which it misses."""
    norm = _normalize(text)
    covered, missed = [], []
    for i, concept in enumerate(question.keywords):
        phrases = [p for ps in concept.phrases.values() for p in ps]
        (covered if any(_phrase_found(p, norm) for p in phrases) else missed).append(i)
    return tuple(covered), tuple(missed)


def grade(question: Question, text: str) -> Verdict:
    """Judge ``text`` as an answer to ``question``; Unparsable when it cannot be read."""
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
            value = parse_quantity(text, question.unit)
        except AnswerFormatError as exc:
            raise Unparsable(f"{exc}; e.g. 1.2e9, 124M, 14 GB", f"{exc.zh}；例如 1.2e9、124M、14 GB") from None
        ok = question.tolerance.accepts(float(question.answer), value)
        return Verdict(ok, float(ok), f"{value:g} {question.unit}".strip())
    covered, missed = short_coverage(question, text)
    needed = question.min_keywords or 1
    ok = len(covered) >= needed
    score = len(covered) / len(question.keywords) if question.keywords else 0.0
    return Verdict(ok, score, text.strip(), covered, missed)


def answer_text(question: Question, lang: str) -> str:
    """The right answer as shown to the user."""
    qt = question.type
    if qt is QType.SINGLE:
        return f"{question.answer}. {question.choice_text(LETTERS.index(question.answer), lang)}"
    if qt is QType.MULTI:
        return ", ".join(question.answer)
    if qt is QType.TRUEFALSE:
        if lang == "zh":
            return "对" if question.answer else "错"
        return "true" if question.answer else "false"
    if qt is QType.NUMERIC:
        value = float(question.answer)
        # Whole numbers with separators up to 1e15; beyond that float digits are noise.
        shown = f"{value:,.0f}" if value.is_integer() and 1000 <= abs(value) < 1e15 else f"{value:.6g}"
        return f"{shown} {question.unit}".strip() + f" ({question.tolerance.describe()})"
    return question.text("model_answer", lang)
