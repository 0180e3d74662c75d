"""Choosing a session's questions: filters, parametric instances, seeded order."""

from __future__ import annotations

import random
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from bigmodel_quiz.bank.model import DIFFICULTIES, Bank, QType, Question
from bigmodel_quiz.bank.templates import instantiate
from bigmodel_quiz.errors import UsageError

if TYPE_CHECKING:
    from bigmodel_quiz.session.history import Seen


def check_choice(kind: str, value: str, valid: list[str]) -> None:
    """UsageError listing the valid values when ``value`` is not one of them."""
    if value not in valid:
        raise UsageError(f"unknown {kind} {value!r}; valid: {', '.join(valid)}")


def pool(bank: Bank, *, topics: list[str] | None = None, difficulty: str | None = None,
         qtype: str | None = None, seed: int = 0) -> list[Question]:
    """Every question matching the filters, with one instance of each template."""
    for t in topics or []:
        check_choice("topic", t, bank.topic_ids())
    if difficulty is not None:
        check_choice("difficulty", difficulty, list(DIFFICULTIES))
    if qtype is not None:
        check_choice("type", qtype, [t.value for t in QType])
    wanted = set(topics or bank.topic_ids())
    questions = [q for q in bank.questions if q.topic in wanted]
    questions += [instantiate(t, seed) for t in bank.templates if t.topic in wanted]
    if difficulty is not None:
        questions = [q for q in questions if q.difficulty == difficulty]
    if qtype is not None:
        questions = [q for q in questions if q.type.value == qtype]
    return questions


def select(bank: Bank, *, topics: list[str] | None = None, count: int | None = 10,
           difficulty: str | None = None, qtype: str | None = None, seed: int | None = None,
           seen: "dict[str, Seen] | None" = None, now: datetime | None = None) -> list[Question]:
    """A shuffled selection: the same seed (and history) gives the same questions, in the same order,
    with the same shuffled choices.

    With the user's history (``seen``), unseen questions come first, then weak and due
    ones, then the rest; one answered in the last day only when nothing else is left.
    Questions sharing a ``group`` are never both in one session.
    """
    from bigmodel_quiz.bank.choices import shuffled
    from bigmodel_quiz.session.history import tier

    if count is not None and count < 1:
        raise UsageError(f"--count must be at least 1, got {count}")
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)
    questions = pool(bank, topics=topics, difficulty=difficulty, qtype=qtype, seed=seed)
    if not questions:
        raise UsageError("no question matches these filters")
    rng = random.Random(seed)
    questions.sort(key=lambda q: q.id)
    rng.shuffle(questions)
    if seen:
        moment = now or datetime.now(timezone.utc)
        questions.sort(key=lambda q: tier(seen.get(q.template or q.id), moment))  # stable: shuffled within a tier
    picked: list[Question] = []
    groups: set[str] = set()
    for q in questions:
        if q.group:
            if q.group in groups:
                continue
            groups.add(q.group)
        picked.append(q)
        if count and len(picked) == count:
            break
    return [shuffled(q, random.Random(f"{seed}:{q.id}")) for q in picked]
