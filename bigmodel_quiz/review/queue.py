"""What is due: review cards by local day, learning cards by the minute, new cards per day."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from bigmodel_quiz.bank.model import DIFFICULTIES, Bank, Question
from bigmodel_quiz.review.cards import CardRow

# A card in its short learning step that falls due within this window is shown
# again before the sitting ends (as Anki's learn-ahead limit does).
LEARN_AHEAD = timedelta(minutes=20)
DEFAULT_NEW_PER_DAY = 10


def local_date(dt: datetime, tz: tzinfo | None = None) -> date:
    """The calendar day of ``dt`` in ``tz`` (default: the machine's local zone)."""
    return dt.astimezone(tz).date()


def is_learning(row: CardRow) -> bool:
    """Whether the card is in a short (minutes) learning or relearning step."""
    from fsrs import State

    return row.card.state is not State.Review


def is_due(row: CardRow, now: datetime, tz: tzinfo | None = None) -> bool:
    """Review cards are due for their whole due day; learning cards from their due minute."""
    if is_learning(row):
        return row.due <= now
    return local_date(row.due, tz) <= local_date(now, tz)


def due_by(row: CardRow, day: date, tz: tzinfo | None = None) -> bool:
    """Whether the card falls due on or before ``day``."""
    return local_date(row.due, tz) <= day


@dataclass(frozen=True)
class ReviewQueue:
    """The cards to review now: due ones (most overdue first), then new ones."""

    due: tuple[str, ...]
    new: tuple[str, ...]
    new_today: int  # new cards already started today
    unseen: int  # questions never answered, in the chosen topics
    next_due: datetime | None  # the earliest due time of the cards not due now

    @property
    def empty(self) -> bool:
        """Nothing to ask now."""
        return not self.due and not self.new


def bank_keys(bank: Bank, topics: list[str] | None = None) -> dict[str, tuple[str, str]]:
    """Every card key in the bank (templates count once) → (topic, difficulty)."""
    wanted = set(topics or bank.topic_ids())
    keys = {q.id: (q.topic, q.difficulty) for q in bank.questions if q.topic in wanted}
    keys.update({t.id: (t.topic, t.difficulty) for t in bank.templates if t.topic in wanted})
    return keys


def build_queue(bank: Bank, cards: dict[str, CardRow], *, now: datetime, topics: list[str] | None = None,
                new_per_day: int = DEFAULT_NEW_PER_DAY, tz: tzinfo | None = None) -> ReviewQueue:
    """Due cards of the bank's questions, plus today's share of new ones (easy first)."""
    keys = bank_keys(bank, topics)
    today = local_date(now, tz)
    known = [c for c in cards.values() if c.key in keys]
    due = sorted((c for c in known if is_due(c, now, tz)), key=lambda c: (c.due, c.key))
    later = [c.due for c in known if not is_due(c, now, tz)]
    # The cap counts every card first answered today, in any mode, as Anki counts new cards.
    new_today = sum(1 for c in cards.values() if local_date(c.introduced_at, tz) == today)
    unseen = sorted(k for k in keys if k not in cards)
    rng = random.Random(today.toordinal())
    rng.shuffle(unseen)
    unseen.sort(key=lambda k: DIFFICULTIES.index(keys[k][1]) if keys[k][1] in DIFFICULTIES else 0)
    room = max(0, new_per_day - new_today)
    return ReviewQueue(
        due=tuple(c.key for c in due), new=tuple(unseen[:room]), new_today=new_today,
        unseen=len(unseen), next_due=min(later) if later else None,
    )


def questions_for(bank: Bank, keys: tuple[str, ...] | list[str], seed: int) -> list[Question]:
    """The questions to ask for ``keys``, choices shuffled; a template gets a fresh instance from ``seed``."""
    from bigmodel_quiz.bank.choices import shuffled
    from bigmodel_quiz.bank.templates import instantiate

    by_id = {q.id: q for q in bank.questions}
    templates = {t.id: t for t in bank.templates}
    out = []
    for k in keys:
        if k in by_id:
            out.append(by_id[k])
        elif k in templates:
            out.append(instantiate(templates[k], seed))
    return [shuffled(q, random.Random(f"{seed}:{q.id}")) for q in out]


@dataclass(frozen=True)
class DueCounts:
    """Cards due now (what ``quiz review`` asks), by the end of today and within seven days (today included)."""

    now: int
    today: int
    week: int
    next_due: datetime | None


def due_counts(cards: dict[str, CardRow], now: datetime, tz: tzinfo | None = None) -> DueCounts:
    """How many cards are due now (as :func:`is_due` says, like the review queue), by the end of today
    and of the next seven days."""
    today = local_date(now, tz)
    week_end = today + timedelta(days=6)
    rows = list(cards.values())
    upcoming = [c.due for c in rows if c.due > now]
    return DueCounts(
        now=sum(1 for c in rows if is_due(c, now, tz)),
        today=sum(1 for c in rows if due_by(c, today, tz)),
        week=sum(1 for c in rows if due_by(c, week_end, tz)),
        next_due=min(upcoming) if upcoming else None,
    )

