"""FSRS card state per question, kept in the store and fed by every answer.

A card's state is a function of the user's history: every stored answer (practice,
review or mock) is applied to its card once, in answer order, with a rating that is
either the one the user chose (short answers, in every mode) or one derived from
correctness and response time. ``cards.last_answer_id`` records how far each card has
caught up, so a session that never touched the scheduler (``quiz start``) still feeds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from bigmodel_quiz.bank.model import Question
from bigmodel_quiz.store.db import CardState, Store, UnappliedAnswer

if TYPE_CHECKING:
    from fsrs import Card, Rating, Scheduler

# One short step: a card answered Again comes back within the same sitting
# (see LEARN_AHEAD in queue.py), one answered Good graduates to whole days.
LEARNING_STEPS = (timedelta(minutes=10),)
RELEARNING_STEPS = (timedelta(minutes=10),)

# Past these many seconds a right answer counts as effortful recall (Hard, not Good).
SLOW_S = {"truefalse": 20.0, "single": 30.0, "multi": 45.0, "numeric": 90.0, "short": 240.0}


@dataclass(frozen=True)
class CardRow:
    """One question's scheduling state as stored."""

    key: str  # question id, or template id for parametric questions
    topic: str
    card: "Card"
    reps: int
    lapses: int
    introduced_at: datetime
    last_answer_id: int

    @property
    def due(self) -> datetime:
        """When the card is next due (aware, UTC)."""
        return self.card.due


def card_key(q: Question) -> str:
    """The card a question belongs to: the template for parametric questions."""
    return q.template or q.id


def iso(dt: datetime) -> str:
    """An aware datetime in the store's format (ISO-8601 UTC, milliseconds)."""
    return dt.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def parse_time(text: str) -> datetime:
    """A stored timestamp as an aware UTC datetime."""
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


def make_scheduler(*, fuzz: bool = True) -> "Scheduler":
    """The FSRS scheduler used everywhere (fuzz off gives exact intervals, for tests)."""
    from fsrs import Scheduler

    return Scheduler(learning_steps=LEARNING_STEPS, relearning_steps=RELEARNING_STEPS,
                     enable_fuzzing=fuzz)


def objective_rating(qtype: str, correct: bool, score: float, response_s: float) -> "Rating":
    """Again when wrong; Hard when right but slow (or partly covered); else Good."""
    from fsrs import Rating

    if not correct:
        return Rating.Again
    if response_s > SLOW_S.get(qtype, 60.0) or (qtype == "short" and score < 1.0):
        return Rating.Hard
    return Rating.Good


def apply(row: CardRow | None, answer: UnappliedAnswer, rating: "Rating", scheduler: "Scheduler") -> CardRow:
    """The card after one more answer rated ``rating``."""
    from fsrs import Card, Rating, State

    at = parse_time(answer.answered_at)
    if row is None:
        card = Card(card_id=1, due=at)
        row = CardRow(answer.key, answer.topic, card, 0, 0, at, 0)
    lapse = row.card.state is State.Review and rating == Rating.Again
    card, _ = scheduler.review_card(row.card, rating, review_datetime=at)
    return CardRow(row.key, answer.topic, card, row.reps + 1, row.lapses + int(lapse),
                   row.introduced_at, answer.answer_id)


def _from_state(s: CardState) -> CardRow:
    from fsrs import Card, State

    card = Card(card_id=1, state=State(s.state), step=s.step, stability=s.stability, difficulty=s.difficulty,
                due=parse_time(s.due), last_review=parse_time(s.last_review) if s.last_review else None)
    return CardRow(s.key, s.topic, card, s.reps, s.lapses, parse_time(s.introduced_at), s.last_answer_id)


def _to_state(row: CardRow) -> CardState:
    c = row.card
    return CardState(row.key, row.topic, int(c.state), c.step, c.stability, c.difficulty, iso(c.due),
                     iso(c.last_review) if c.last_review else None, row.reps, row.lapses,
                     iso(row.introduced_at), row.last_answer_id)


def load_cards(store: Store, topics: list[str] | None = None) -> dict[str, CardRow]:
    """Every stored card (of ``topics`` when given), by key."""
    wanted = set(topics or ())
    return {s.key: _from_state(s) for s in store.card_states() if not wanted or s.topic in wanted}


def sync_cards(store: Store, scheduler: "Scheduler", ratings: dict[int, "Rating"] | None = None) -> int:
    """Apply every answer its card has not seen (``ratings`` overrides by answer id); how many.

    An answer the user rated (a short answer) feeds its card with that rating; any other
    gets one derived from correctness and response time.
    """
    from fsrs import Rating

    ratings = ratings or {}
    # One write transaction: two processes syncing at once apply each answer once.
    with store.transaction():
        pending = store.unapplied_answers()
        if pending:
            cards = load_cards(store)
            touched: dict[str, CardRow] = {}
            for a in pending:
                rating = (ratings.get(a.answer_id) or (Rating(a.rating) if a.rating in (1, 2, 3, 4) else None)
                          or objective_rating(a.qtype, a.correct, a.score, a.response_s))
                touched[a.key] = apply(touched.get(a.key) or cards.get(a.key), a, rating, scheduler)
            for row in touched.values():
                store.save_card(_to_state(row))
    return len(pending)


def rate_answer(store: Store, answer_id: int, q: Question, rating: "Rating", scheduler: "Scheduler") -> CardRow:
    """Apply the stored answer ``answer_id`` to ``q``'s card with the user's own rating; the new card."""
    sync_cards(store, scheduler, {answer_id: rating})
    return load_cards(store)[card_key(q)]
