"""The topic overview: questions, exercises and the user's accuracy per topic."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

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


# The exercise catalog's topic tags are public API (EXERCISES.md); where one names a
# bank topic differently, questions and exercises are still counted and planned together.
EXERCISE_TOPIC_IN_BANK = {"inference": "inference-deployment"}


def bank_topic(exercise_topic: str) -> str:
    """The bank topic an exercise's topic tag belongs to."""
    return EXERCISE_TOPIC_IN_BANK.get(exercise_topic, exercise_topic)


def exercise_topics() -> Counter:
    """How many coding exercises each bank topic has (from the exercise statements)."""
    import re

    from bigmodel_quiz.paths import exercise_text_dir

    # Only the top-level ``topic:`` line is needed: no YAML parse on this path.
    topic_line = re.compile(r"^topic:\s*['\"]?([\w-]+)", re.MULTILINE)
    counts: Counter = Counter()
    folder = exercise_text_dir()
    if folder.is_dir():
        for f in sorted(folder.glob("*.yaml")):
            try:
                m = topic_line.search(f.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                continue
            if m:
                counts[bank_topic(m.group(1))] += 1
    return counts


def topic_rows(bank: Bank, store: Store) -> list[TopicRow]:
    """One row per topic, in bank order, then topics that only have exercises."""
    q = Counter(x.topic for x in bank.questions)
    t = Counter(x.topic for x in bank.templates)
    ex = exercise_topics()
    acc = store.topic_accuracy()
    ids = bank.topic_ids() + sorted(set(ex) - set(bank.topics))
    return [
        TopicRow(topic=tid, title=bank.topics[tid].title if tid in bank.topics else {"en": tid, "zh": tid},
                 questions=q[tid], templates=t[tid], exercises=ex[tid],
                 answered=acc.get(tid, (0, 0))[1], correct=acc.get(tid, (0, 0))[0])
        for tid in ids
    ]
