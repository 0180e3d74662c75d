"""What the user has already seen, per card key, for choosing a practice session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from bigmodel_quiz.store.db import Store

RECENT = timedelta(days=1)  # a question answered this recently is asked again only when nothing else is left
WEAK = 0.7  # a question answered right less often than this is weak


@dataclass(frozen=True)
class Seen:
    """One card key's history."""

    last_at: datetime
    answered: int
    correct: int
    last_correct: bool
    due: datetime | None = None

    def weak(self) -> bool:
        """Last answered wrong, or right less than WEAK of the time."""
        return not self.last_correct or self.correct / self.answered < WEAK


def _time(text: str) -> datetime:
    dt = datetime.fromisoformat(text)
    return (dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def seen_by_key(store: Store) -> dict[str, Seen]:
    """Every answered card key (question id, or template id) with its history and due time."""
    out: dict[str, Seen] = {}
    for a in store.answers():
        key = a.template or a.question_id
        before = out.get(key)
        n, right = (before.answered, before.correct) if before else (0, 0)
        out[key] = Seen(_time(a.answered_at), n + 1, right + int(a.correct), a.correct)
    for card in store.card_states():
        if card.key in out:
            s = out[card.key]
            out[card.key] = Seen(s.last_at, s.answered, s.correct, s.last_correct, _time(card.due))
    return out


def tier(seen: Seen | None, now: datetime) -> int:
    """0 unseen, 1 weak or due, 2 the rest, 3 answered within RECENT (last resort)."""
    if seen is None:
        return 0
    if now - seen.last_at < RECENT:
        return 3
    if seen.weak() or (seen.due is not None and seen.due <= now):
        return 1
    return 2
