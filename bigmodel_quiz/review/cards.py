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
from bigmodel_quiz.store.db import Store

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


@dataclass(frozen=True)
class PendingAnswer:
    """A stored answer its card has not yet seen."""

    answer_id: int
    key: str
    topic: str
    qtype: str
    correct: bool
    score: float
    response_s: float
    answered_at: datetime
    rating: int | None = None  # the user's own rating, when they gave one


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


def apply(row: CardRow | None, answer: PendingAnswer, rating: "Rating", scheduler: "Scheduler") -> CardRow:
    """The card after one more answer rated ``rating``."""
    from fsrs import Card, Rating, State

    if row is None:
        card = Card(card_id=1, due=answer.answered_at)
        row = CardRow(answer.key, answer.topic, card, 0, 0, answer.answered_at, 0)
    lapse = row.card.state is State.Review and rating == Rating.Again
    card, _ = scheduler.review_card(row.card, rating, review_datetime=answer.answered_at)
    return CardRow(row.key, answer.topic, card, row.reps + 1, row.lapses + int(lapse),
                   row.introduced_at, answer.answer_id)


def _row(r: tuple) -> CardRow:
    from fsrs import Card, State

    card = Card(card_id=1, state=State(r[2]), step=r[3], stability=r[4], difficulty=r[5],
                due=parse_time(r[6]), last_review=parse_time(r[7]) if r[7] else None)
    return CardRow(r[0], r[1], card, r[8], r[9], parse_time(r[10]), r[11])


_COLUMNS = ("key, topic, state, step, stability, difficulty, due, last_review, reps, lapses,"
            " introduced_at, last_answer_id")


def load_cards(store: Store, topics: list[str] | None = None) -> dict[str, CardRow]:
    """Every stored card (of ``topics`` when given), by key."""
    rows = store.conn.execute(f"SELECT {_COLUMNS} FROM cards").fetchall()
    cards = {r[0]: _row(r) for r in rows}
    if topics:
        wanted = set(topics)
        cards = {k: c for k, c in cards.items() if c.topic in wanted}
    return cards


def _save(store: Store, row: CardRow) -> None:
    c = row.card
    store.conn.execute(
        f"INSERT OR REPLACE INTO cards ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (row.key, row.topic, int(c.state), c.step, c.stability, c.difficulty, iso(c.due),
         iso(c.last_review) if c.last_review else None, row.reps, row.lapses,
         iso(row.introduced_at), row.last_answer_id),
    )


def _pending(store: Store) -> list[PendingAnswer]:
    rows = store.conn.execute(
        "SELECT a.id, COALESCE(a.template, a.question_id), a.topic, a.qtype, a.correct, a.score,"
        " a.response_s, a.answered_at, a.rating FROM answers a"
        " LEFT JOIN cards c ON c.key = COALESCE(a.template, a.question_id)"
        " WHERE a.id > COALESCE(c.last_answer_id, 0) ORDER BY a.id"
    ).fetchall()
    return [PendingAnswer(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], parse_time(r[7]), r[8]) for r in rows]


def sync_cards(store: Store, scheduler: "Scheduler", ratings: dict[int, "Rating"] | None = None) -> int:
    """Apply every answer its card has not seen (``ratings`` overrides by answer id); how many.

    An answer the user rated (a short answer) feeds its card with that rating; any other
    gets one derived from correctness and response time.
    """
    from fsrs import Rating

    ratings = ratings or {}
    conn = store.conn
    # One write transaction: two processes syncing at once apply each answer once.
    conn.execute("BEGIN IMMEDIATE")
    try:
        pending = _pending(store)
        if pending:
            cards = load_cards(store)
            touched: dict[str, CardRow] = {}
            for a in pending:
                rating = (ratings.get(a.answer_id) or (Rating(a.rating) if a.rating in (1, 2, 3, 4) else None)
                          or objective_rating(a.qtype, a.correct, a.score, a.response_s))
                touched[a.key] = apply(touched.get(a.key) or cards.get(a.key), a, rating, scheduler)
            for row in touched.values():
                _save(store, row)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(pending)


def rate_latest(store: Store, q: Question, rating: "Rating", scheduler: "Scheduler") -> CardRow:
    """Apply the latest stored answer to ``q`` with the user's own rating; the new card."""
    row = store.conn.execute("SELECT MAX(id) FROM answers WHERE question_id = ?", (q.id,)).fetchone()
    if row is None or row[0] is None:
        raise LookupError(f"no stored answer to {q.id}")
    sync_cards(store, scheduler, {int(row[0]): rating})
    return load_cards(store)[card_key(q)]
