"""A review sitting: catch the cards up with history, ask what is due, rate, re-ask lapses."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from typing import TYPE_CHECKING, Callable

from bigmodel_quiz.bank.answers import Verdict
from bigmodel_quiz.bank.model import Bank, Question
from bigmodel_quiz.review.cards import iso, load_cards, make_scheduler, objective_rating, rate_answer, sync_cards
from bigmodel_quiz.review.queue import (
    DEFAULT_NEW_PER_DAY,
    LEARN_AHEAD,
    ReviewQueue,
    bank_keys,
    build_queue,
    questions_for,
)
from bigmodel_quiz.session.runner import SessionIO, Summary, run_session
from bigmodel_quiz.store.db import Store

if TYPE_CHECKING:
    from fsrs import Scheduler

MAX_ROUNDS = 3  # the first pass, then at most two more passes over cards answered Again


def utc_datetime() -> datetime:
    """The current time, aware, in UTC (the default clock of the scheduler)."""
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class ReviewResult:
    """What a review sitting did."""

    queue: ReviewQueue  # what was due when it started
    summary: Summary | None  # None when nothing was due
    again: int  # cards asked once more before the end because they were answered Again
    next_due: datetime | None  # the earliest due time left afterwards


def merge(summaries: list[Summary]) -> Summary:
    """One summary of several passes."""
    out = Summary(session_id=summaries[0].session_id)
    for s in summaries:
        out.asked += s.asked
        out.answered += s.answered
        out.correct += s.correct
        out.total += s.total
        out.stopped_early = out.stopped_early or s.stopped_early
        for topic, score in s.by_topic.items():
            out.by_topic[topic].answered += score.answered
            out.by_topic[topic].correct += score.correct
    return out


def run_review(bank: Bank, io: SessionIO, store: Store, *, topics: list[str] | None = None,
               new_per_day: int = DEFAULT_NEW_PER_DAY, now: Callable[[], datetime] = utc_datetime,
               clock: Callable[[], float] = time.monotonic, tz: tzinfo | None = None,
               scheduler: "Scheduler | None" = None, seed: int | None = None,
               on_again: Callable[[int], None] | None = None) -> ReviewResult:
    """Ask every due card, then today's new ones; each answer updates its FSRS card at once."""
    from fsrs import Rating

    scheduler = scheduler or make_scheduler()
    sync_cards(store, scheduler)
    queue = build_queue(bank, load_cards(store), now=now(), topics=topics, new_per_day=new_per_day, tz=tz)
    if queue.empty:
        return ReviewResult(queue, None, 0, queue.next_due)
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)

    keys: list[str] = [*queue.due, *queue.new]
    summaries: list[Summary] = []
    again_total = 0
    for round_no in range(MAX_ROUNDS):
        again: set[str] = set()

        def after(q: Question, verdict: Verdict, rating: int | None, elapsed: float, answer_id: int) -> None:
            chosen = Rating(rating) if rating else objective_rating(q.type.value, verdict.correct,
                                                                     verdict.score, elapsed)
            row = rate_answer(store, answer_id, q, chosen, scheduler)
            if chosen == Rating.Again:
                again.add(row.key)  # noqa: B023 (called during this round only)

        summary = run_session(questions_for(bank, keys, seed + round_no), io, store, mode="review",
                              clock=clock, after_answer=after, ask_rating=True, stamp=lambda: iso(now()))
        summaries.append(summary)
        if summary.stopped_early or round_no == MAX_ROUNDS - 1:
            break
        cards, t = load_cards(store), now()
        keys = sorted((k for k in again if cards[k].due <= t + LEARN_AHEAD), key=lambda k: cards[k].due)
        if not keys:
            break
        again_total += len(keys)
        if on_again is not None:
            on_again(len(keys))

    wanted = bank_keys(bank, topics)
    t = now()
    upcoming = [c.due for c in load_cards(store).values() if c.key in wanted and c.due > t]
    return ReviewResult(queue, merge(summaries), again_total, min(upcoming) if upcoming else None)
