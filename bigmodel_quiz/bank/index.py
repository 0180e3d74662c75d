"""What counting and choosing questions need, without loading every question.

A :class:`BankIndex` holds the topics and one light :class:`Entry` per question and
template; the full question is built only when asked for (:meth:`BankIndex.items`).
Served from the bank cache's index when it is fresh, else made from a loaded bank.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from bigmodel_quiz.errors import BankError

if TYPE_CHECKING:
    from bigmodel_quiz.bank.model import Bank, Question, Template, Topic


class Entry(NamedTuple):
    """One question or template: its id, topic, type, difficulty and group (a tuple: made by the thousand)."""

    id: str
    topic: str
    type: str  # a template's is "numeric"
    difficulty: str
    group: str | None
    template: bool = False
    span: tuple[int, int] | None = None  # its record's place in the cache


class BankIndex:
    """The topics and entries of a bank; each item loaded on demand."""

    def __init__(self, topics: dict[str, Topic], entries: list[Entry], *, paths: list[Path],
                 cache: tuple[Path, str] | None = None, bank: Bank | None = None) -> None:
        self.topics = topics
        self.entries = entries
        self._paths = paths
        self._cache = cache
        self._bank = bank

    @classmethod
    def of(cls, bank: Bank, paths: list[Path] | None = None) -> BankIndex:
        """The index of an already loaded bank."""
        entries = [Entry(q.id, q.topic, q.type.value, q.difficulty, q.group) for q in bank.questions]
        entries += [Entry(t.id, t.topic, "numeric", t.difficulty, t.group, template=True) for t in bank.templates]
        return cls(bank.topics, entries, paths=paths or [], bank=bank)

    def topic_ids(self) -> list[str]:
        """Topic ids in file order."""
        return list(self.topics)

    def counts(self) -> tuple[Counter, Counter]:
        """Questions per topic and templates per topic."""
        questions = Counter(e.topic for e in self.entries if not e.template)
        return questions, Counter(e.topic for e in self.entries if e.template)

    def items(self, entries: list[Entry]) -> list[Question | Template]:
        """The full question or template of each entry, in order."""
        if self._bank is None and self._cache is not None:
            got = self._from_cache(entries)
            if got is not None:
                return got
        bank = self._loaded()
        by_id: dict[str, Question | Template] = {q.id: q for q in bank.questions}
        by_id.update({t.id: t for t in bank.templates})
        missing = [e.id for e in entries if e.id not in by_id]
        if missing:
            raise BankError(f"the banks changed while loading ({missing[0]} is gone); run the command again")
        return [by_id[e.id] for e in entries]

    def _from_cache(self, entries: list[Entry]) -> list[Question | Template] | None:
        from bigmodel_quiz.bank import cache

        assert self._cache is not None
        folder, key = self._cache
        spans = [e.span for e in entries]
        if any(s is None for s in spans):
            return None
        records = cache.read_records(folder, key, spans)  # type: ignore[arg-type]
        if records is None or any(r.get("id") != e.id for r, e in zip(records, entries)):
            return None
        try:
            return [cache.template_of(r) if e.template else cache.question_of(r) for r, e in zip(records, entries)]
        except (ValueError, KeyError, TypeError):
            return None

    def _loaded(self) -> Bank:
        if self._bank is None:
            from bigmodel_quiz.bank.loader import load_bank

            self._bank = load_bank(self._paths or None)
        return self._bank


def bank_files(paths: list[Path]) -> list[Path]:
    """The YAML bank files named by ``paths`` (folders are searched, not recursively)."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            with os.scandir(p) as found:  # a directory entry knows its kind without another stat
                names = sorted(e.name for e in found if os.path.splitext(e.name)[1] in (".yaml", ".yml") and e.is_file())
            files.extend(p / name for name in names)
        elif p.exists():
            files.append(p)
        else:
            raise BankError(f"no such file or folder: {p}")
    return files


def load_index(paths: list[Path] | None = None) -> BankIndex:
    """The index of the banks in ``paths`` (default: the shipped banks), from the cache when fresh."""
    from bigmodel_quiz.bank import cache
    from bigmodel_quiz.bank.model import Topic
    from bigmodel_quiz.paths import bank_dir, cache_dir

    paths = paths or [bank_dir()]
    folder, key = cache_dir(), cache.cache_key(bank_files(paths))
    doc = cache.read_index(folder, key)
    if doc is None:
        from bigmodel_quiz.bank.loader import load_bank

        return BankIndex.of(load_bank(paths), paths)
    try:
        topics = {t["id"]: Topic(**t) for t in doc["topics"]}
        entries = [Entry(i, topic, qtype, diff, group, span=(offset, length))
                   for i, topic, qtype, diff, group, offset, length in doc["questions"]]
        entries += [Entry(i, topic, "numeric", diff, group, template=True, span=(offset, length))
                    for i, topic, diff, group, offset, length in doc["templates"]]
    except (TypeError, ValueError):
        from bigmodel_quiz.bank.loader import load_bank

        return BankIndex.of(load_bank(paths), paths)
    return BankIndex(topics, entries, paths=paths, cache=(folder, key))
