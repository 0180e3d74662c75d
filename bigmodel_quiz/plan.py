"""Today's plan (``quiz`` with no command) and the next exercise in a recommended order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bigmodel_quiz.bank.model import Bank
from bigmodel_quiz.store.db import Store

# A learning path through the exercise topics: foundations first, systems last.
TOPIC_ORDER = ("fundamentals", "overfitting", "evaluation-metrics", "parameter-scale", "architecture",
               "decoding", "inference", "distributed-training", "kernels-hardware")
KIND_ORDER = ("python", "numpy", "torch")  # plain Python first, PyTorch last


@dataclass(frozen=True)
class TodayPlan:
    """What is waiting today."""

    due: int  # review cards due now
    new: int  # new questions the review would introduce today
    new_limit: int
    unseen: int  # questions never answered
    next_exercise: str | None  # the next exercise not yet passed, in the recommended order
    exercises_passed: int
    exercises_total: int

    @property
    def review_waiting(self) -> bool:
        """Whether ``quiz review`` has something to ask now."""
        return bool(self.due or self.new)


def recommended_order(infos: list, statuses: dict[str, str]) -> list:
    """Exercises (anything with ``id``, ``topic``, ``kind``) by topic, then kind, then id."""
    def rank(info) -> tuple:  # type: ignore[no-untyped-def]
        topic = TOPIC_ORDER.index(info.topic) if info.topic in TOPIC_ORDER else len(TOPIC_ORDER)
        kind = KIND_ORDER.index(info.kind) if info.kind in KIND_ORDER else len(KIND_ORDER)
        return (topic, info.topic, kind, info.id)

    return sorted(infos, key=rank)


def next_exercise(infos: list, statuses: dict[str, str]) -> str | None:
    """The first exercise in the recommended order that is not passed yet."""
    for info in recommended_order(infos, statuses):
        if statuses.get(info.id) != "passed":
            return info.id
    return None


def today_plan(bank: Bank, store: Store, *, now: datetime, new_per_day: int) -> TodayPlan:
    """Reviews due, today's new questions and the next exercise."""
    from bigmodel_quiz.exercises.catalog import index
    from bigmodel_quiz.review.cards import load_cards, make_scheduler, sync_cards
    from bigmodel_quiz.review.queue import build_queue

    sync_cards(store, make_scheduler())
    queue = build_queue(bank, load_cards(store), now=now, new_per_day=new_per_day)
    infos = index()
    statuses = store.exercise_status()
    passed = sum(1 for i in infos if statuses.get(i.id) == "passed")
    return TodayPlan(len(queue.due), len(queue.new), new_per_day, queue.unseen, next_exercise(infos, statuses),
                     passed, len(infos))
