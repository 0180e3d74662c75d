"""The topic overview: questions, exercises and the user's accuracy per topic."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bigmodel_quiz.bank.index import BankIndex

if TYPE_CHECKING:
    from bigmodel_quiz.bank.model import Bank
    from bigmodel_quiz.store.db import Store


@dataclass(frozen=True)
class TopicRow:
    """One topic's line in ``quiz topics``."""

    topic: str
    title: dict
    questions: int
    templates: int
    exercises: int
    answered: int
    correct: int

    @property
    def accuracy(self) -> float | None:
        """Share of right answers, None when nothing was answered."""
        return self.correct / self.answered if self.answered else None

    def as_json(self, lang: str) -> dict:
        """The row as ``quiz topics --json`` prints it."""
        return {"topic": self.topic, "title": self.title.get(lang, self.title.get("en")),
                "questions": self.questions, "templates": self.templates,
                "exercises": self.exercises, "answered": self.answered,
                "accuracy": None if self.accuracy is None else round(self.accuracy, 4)}


def exercise_topics() -> Counter:
    """How many coding exercises each bank topic has."""
    from bigmodel_quiz.exercises.catalog import index

    return Counter(info.bank_topic for info in index())


def topic_rows(bank: Bank | BankIndex, store: Store) -> list[TopicRow]:
    """One row per topic, in bank order, then topics that only have exercises (counted from the index)."""
    if not isinstance(bank, BankIndex):
        bank = BankIndex.of(bank)
    q, t = bank.counts()
    ex = exercise_topics()
    acc = store.topic_accuracy()
    ids = bank.topic_ids() + sorted(set(ex) - set(bank.topics))
    return [
        TopicRow(topic=tid, title=bank.topics[tid].title if tid in bank.topics else {"en": tid, "zh": tid},
                 questions=q[tid], templates=t[tid], exercises=ex[tid],
                 answered=acc.get(tid, (0, 0))[1], correct=acc.get(tid, (0, 0))[0])
        for tid in ids
    ]
