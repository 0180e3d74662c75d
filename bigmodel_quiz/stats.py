"""The figures of ``quiz stats``: accuracy, days, streak, due counts, weak tags, exercises."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Collection

from bigmodel_quiz.store.db import Store

if TYPE_CHECKING:
    from fsrs import Scheduler

    from bigmodel_quiz.mock import ReportLine

CHART_DAYS = 14
WEAKEST = 5
STATS_VERSION = 1


@dataclass(frozen=True)
class Tally:
    """Answers and right answers under one name (a topic, a tag)."""

    name: str
    answered: int
    correct: int

    @property
    def accuracy(self) -> float | None:
        """Share of right answers; None when nothing was answered."""
        return self.correct / self.answered if self.answered else None

    def as_json(self, key: str) -> dict:
        """``{key: name, answered, correct, accuracy}``."""
        acc = self.accuracy
        return {key: self.name, "answered": self.answered, "correct": self.correct,
                "accuracy": None if acc is None else round(acc, 4)}


@dataclass(frozen=True)
class Day:
    """One calendar day of practice."""

    day: date
    answered: int
    correct: int

    @property
    def accuracy(self) -> float | None:
        """Share of right answers that day; None when nothing was answered."""
        return self.correct / self.answered if self.answered else None


@dataclass(frozen=True)
class Stats:
    """Every figure ``quiz stats`` shows."""

    topic: str | None
    answered: int
    correct: int
    by_topic: tuple[Tally, ...]
    by_tag: tuple[Tally, ...]
    days: tuple[Day, ...]
    streak: int
    due_now: int  # what quiz review asks now (a card learnt today comes back minutes later)
    due_today: int
    due_week: int
    next_due: datetime | None
    weakest_tags: tuple[Tally, ...]
    exercises_passed: tuple[str, ...]
    exercises_tried: tuple[str, ...]
    exercises_total: int
    mocks: tuple["ReportLine", ...]

    def as_json(self) -> dict:
        """The one JSON object ``quiz stats --json`` prints."""
        acc = self.correct / self.answered if self.answered else None
        return {
            "version": STATS_VERSION,
            "topic": self.topic,
            "answered": self.answered,
            "correct": self.correct,
            "accuracy": None if acc is None else round(acc, 4),
            "by_topic": [t.as_json("topic") for t in self.by_topic],
            "by_tag": [t.as_json("tag") for t in self.by_tag],
            "days": [{"date": d.day.isoformat(), "answered": d.answered, "correct": d.correct,
                      "accuracy": None if d.accuracy is None else round(d.accuracy, 4)} for d in self.days],
            "streak_days": self.streak,
            "due": {"now": self.due_now, "today": self.due_today, "week": self.due_week,
                    "next": self.next_due.isoformat(timespec="seconds") if self.next_due else None},
            "weakest_tags": [t.as_json("tag") for t in self.weakest_tags],
            "exercises": {"passed": len(self.exercises_passed), "tried": len(self.exercises_tried),
                          "total": self.exercises_total, "passed_ids": list(self.exercises_passed)},
            "mock_interviews": [{"session_id": m.session_id, "started_at": m.started_at, "asked": m.asked,
                                 "right": m.right, "minutes": m.minutes} for m in self.mocks],
        }


def _tallies(pairs: list[tuple[str, bool]]) -> tuple[Tally, ...]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name, ok in pairs:
        counts[name][0] += 1
        counts[name][1] += ok
    return tuple(Tally(n, a, c) for n, (a, c) in sorted(counts.items()))


def _upper_bound(t: Tally, z: float = 1.96) -> float:
    # Wilson score upper bound: a tag is weak when even an optimistic estimate of its
    # accuracy is low, so 4 right of 10 ranks weaker than 0 of 1.
    n, p = t.answered, t.correct / t.answered
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre + spread) / (1 + z * z / n)


def weakest(tags: tuple[Tally, ...], n: int = WEAKEST) -> tuple[Tally, ...]:
    """Tags with a miss, weakest first (ranked by the upper bound of their accuracy)."""
    missed = [t for t in tags if t.correct < t.answered]
    return tuple(sorted(missed, key=lambda t: (_upper_bound(t), -t.answered, t.name))[:n])


def streak(active: set[date], today: date) -> int:
    """Consecutive days with practice ending today (or yesterday, as today is not over)."""
    day = today if today in active else today - timedelta(days=1)
    n = 0
    while day in active:
        n += 1
        day -= timedelta(days=1)
    return n


def compute_stats(store: Store, *, now: datetime, tz: tzinfo | None = None, topic: str | None = None,
                  days: int = CHART_DAYS, scheduler: "Scheduler | None" = None,
                  card_keys: Collection[str] | None = None) -> Stats:
    """Every figure, from the store as it is at ``now`` (cards are first caught up with history).

    ``card_keys``: the bank's card keys; cards of questions no longer in the bank are then not counted as due.
    """
    from bigmodel_quiz.exercises.catalog import index
    from bigmodel_quiz.mock import list_reports
    from bigmodel_quiz.review.cards import load_cards, make_scheduler, parse_time, sync_cards
    from bigmodel_quiz.review.queue import due_counts, local_date

    sync_cards(store, scheduler or make_scheduler())
    all_answers = store.answers()
    answers = [a for a in all_answers if topic is None or a.topic == topic]
    grades = store.grades()
    today = local_date(now, tz)

    per_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for a in answers:
        d = per_day[local_date(parse_time(a.answered_at), tz)]
        d[0] += 1
        d[1] += a.correct
    first = today - timedelta(days=days - 1)
    chart = tuple(Day(first + timedelta(days=i), *per_day.get(first + timedelta(days=i), (0, 0)))
                  for i in range(days))
    active = {local_date(parse_time(a.answered_at), tz) for a in all_answers}
    active |= {local_date(parse_time(g.graded_at), tz) for g in grades}

    by_tag = _tallies([(t, a.correct) for a in answers for t in a.tags])
    cards = load_cards(store, [topic] if topic else None)
    if card_keys is not None:
        cards = {k: c for k, c in cards.items() if k in card_keys}
    due = due_counts(cards, now, tz)

    exercises = index()
    if topic is not None:
        exercises = [e for e in exercises if e.bank_topic == topic]
        in_topic = {e.id for e in exercises}
        grades = [g for g in grades if g.exercise in in_topic]
    return Stats(
        topic=topic, answered=len(answers), correct=sum(a.correct for a in answers),
        by_topic=_tallies([(a.topic, a.correct) for a in answers]), by_tag=by_tag, days=chart,
        streak=streak(active, today), due_now=due.now, due_today=due.today, due_week=due.week, next_due=due.next_due,
        weakest_tags=weakest(by_tag),
        exercises_passed=tuple(sorted({g.exercise for g in grades if g.status == "passed"})),
        exercises_tried=tuple(sorted({g.exercise for g in grades})),
        exercises_total=len(exercises), mocks=tuple(list_reports(store)),
    )
