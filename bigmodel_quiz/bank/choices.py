"""Choices shuffled per presentation, and the ``[[B]]`` markers that name a choice in an explanation.

A shuffled question is an ordinary :class:`Question` whose choices, answer and
explanation speak of the shown letters, with ``choice_order`` recording which bank
choice each shown one is; history and exports go back to the bank's letters through
:func:`bank_letters`.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from typing import cast

from bigmodel_quiz.bank.loader import LETTERS
from bigmodel_quiz.bank.model import QType, Question

MARKER = re.compile(r"\[\[([A-Z])\]\]")
# A bare letter reference to a choice: "(A)", "（B）", "option C", "choice D", "选项A", "A 项".
BARE_LETTER = re.compile(r"(?<![\w)\]])[(（]([A-H])[)）]|\b(?:option|choice)s?\s+([A-H])\b|选项\s*([A-H])(?![A-Za-z])|(?<![\w])([A-H])\s*项")


def resolve_markers(text: str, order: tuple[int, ...] = ()) -> str:
    """``[[B]]`` replaced by the letter bank choice B is shown as (itself when not shuffled)."""
    if "[[" not in text:
        return text
    shown = {LETTERS[bank]: LETTERS[pos] for pos, bank in enumerate(order)}
    return MARKER.sub(lambda m: shown.get(m.group(1), m.group(1)), text)


def shuffled(q: Question, rng: random.Random) -> Question:
    """``q`` with its choices in a random order (single and multiple choice only)."""
    if q.type not in (QType.SINGLE, QType.MULTI) or len(q.choices) < 2:
        return q
    order = list(range(len(q.choices)))
    rng.shuffle(order)
    return present(q, tuple(order))


def present(q: Question, order: tuple[int, ...]) -> Question:
    """``q`` shown with bank choice ``order[i]`` at position ``i``."""
    shown = {LETTERS[bank]: LETTERS[pos] for pos, bank in enumerate(order)}
    if q.type is QType.SINGLE:
        answer: object = shown[str(q.answer)]
    else:
        answer = tuple(sorted(shown[a] for a in cast("tuple[str, ...]", q.answer)))
    explanation = {lang: resolve_markers(text, order) for lang, text in (q.explanation or {}).items()}
    return replace(q, choices=tuple(q.choices[i] for i in order), answer=answer, explanation=explanation,
                   choice_order=order)


def bank_letters(q: Question, letters: str) -> str:
    """Shown letters (``"A,C"``) as the bank's own letters, sorted; unchanged when not shuffled."""
    if not q.choice_order:
        return letters
    out = sorted(LETTERS[q.choice_order[LETTERS.index(ch)]] for ch in letters.split(",") if ch)
    return ",".join(out)


_CUES = ("(", "（", "option", "choice", "选项", "项")


def _bare_letters(text: str) -> list[str]:
    if not any(cue in text for cue in _CUES):  # most explanations: no regex scan at all
        return []
    return [m.group() for m in BARE_LETTER.finditer(text)]


def letter_references(q: Question) -> list[tuple[str, str]]:
    """(language, text) of every bare letter reference in the explanation of a choice question."""
    if q.type not in (QType.SINGLE, QType.MULTI):
        return []
    out = [(lang, ref) for lang, text in (q.explanation or {}).items() for ref in _bare_letters(text)]
    # a marker must name one of the question's choices
    out += [(lang, m.group()) for lang, text in (q.explanation or {}).items() if "[[" in text
            for m in MARKER.finditer(text) if LETTERS.index(m.group(1)) >= len(q.choices)]
    return out
