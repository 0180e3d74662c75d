"""Choosing a session's questions: filters, parametric instances, seeded order.

Choosing works on the bank's index (id, topic, type, difficulty, group); only the
questions picked are loaded and, for templates, instantiated.
"""

from __future__ import annotations

import random
from datetime import datetime, timezone
from typing import TYPE_CHECKING, cast

from bigmodel_quiz.bank.index import BankIndex, Entry
from bigmodel_quiz.bank.model import DIFFICULTIES, Bank, QType, Question, Template
from bigmodel_quiz.errors import UsageError

if TYPE_CHECKING:
    from bigmodel_quiz.session.history import Seen


def check_choice(kind: str, value: str, valid: list[str]) -> None:
    """UsageError listing the valid values when ``value`` is not one of them."""
    if value not in valid:
        raise UsageError(f"unknown {kind} {value!r}; valid: {', '.join(valid)}")


def _index(bank: Bank | BankIndex) -> BankIndex:
    return bank if isinstance(bank, BankIndex) else BankIndex.of(bank)


def candidates(bank: Bank | BankIndex, *, topics: list[str] | None = None, difficulty: str | None = None,
               qtype: str | None = None) -> list[Entry]:
    """The index entries matching the filters (a template stands for its instances)."""
    index = _index(bank)
    for t in topics or []:
        check_choice("topic", t, index.topic_ids())
    if difficulty is not None:
        check_choice("difficulty", difficulty, list(DIFFICULTIES))
    if qtype is not None:
        check_choice("type", qtype, [t.value for t in QType])
    wanted = set(topics or index.topic_ids())
    return [e for e in index.entries if e.topic in wanted and difficulty in (None, e.difficulty) and qtype in (None, e.type)]


def _shown_id(entry: Entry, seed: int) -> str:
    return f"{entry.id}@{seed}" if entry.template else entry.id  # a template instance's id


def _questions(index: BankIndex, entries: list[Entry], seed: int) -> list[Question]:
    items = index.items(entries)
    if not any(isinstance(item, Template) for item in items):
        return cast("list[Question]", items)
    from bigmodel_quiz.bank.templates import instantiate  # its generators load only when a template is asked

    return [instantiate(item, seed) if isinstance(item, Template) else item for item in items]


def pool(bank: Bank | BankIndex, *, topics: list[str] | None = None, difficulty: str | None = None,
         qtype: str | None = None, seed: int = 0) -> list[Question]:
    """Every question matching the filters, with one instance of each template."""
    index = _index(bank)
    return _questions(index, candidates(index, topics=topics, difficulty=difficulty, qtype=qtype), seed)


def select(bank: Bank | BankIndex, *, topics: list[str] | None = None, count: int | None = 10,
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
    index = _index(bank)
    entries = candidates(index, topics=topics, difficulty=difficulty, qtype=qtype)
    if not entries:
        raise UsageError("no question matches these filters")
    rng = random.Random(seed)
    entries.sort(key=lambda e: _shown_id(e, seed))
    rng.shuffle(entries)
    if seen:
        moment = now or datetime.now(timezone.utc)
        entries.sort(key=lambda e: tier(seen.get(e.id), moment))  # stable: shuffled within a tier
    picked: list[Entry] = []
    groups: set[str] = set()
    for e in entries:
        if e.group:
            if e.group in groups:
                continue
            groups.add(e.group)
        picked.append(e)
        if count and len(picked) == count:
            break
    return [shuffled(q, random.Random(f"{seed}:{q.id}")) for q in _questions(index, picked, seed)]
