"""A JSON cache of loaded banks, so start-up does not re-parse unchanged YAML.

Two files per key, side by side in the cache folder:

- ``bank-KEY.json``: every question, then every template, as a JSON array with one
  record per line, so that one record can be read by its byte span alone;
- ``bank-KEY.index.json``: the topics and, per record, what counting and choosing
  questions need (id, topic, type, difficulty, group) with the record's byte span.

``quiz topics`` reads only the index; a session reads the index, then the records of
the questions it asks. The key covers each file's path, size and modification time
and the package version, so a changed bank file invalidates both files at once; a
stale, missing or unreadable cache is simply rebuilt. JSON rather than pickle: the
cache is data, and loading it must never run code.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bigmodel_quiz import __version__
from bigmodel_quiz.bank.model import Bank, Concept, Param, QType, Question, Template, Tolerance, Topic

FORMAT = 3
_ERRORS = (OSError, ValueError, KeyError, TypeError, IndexError)


def cache_key(files: list[Path]) -> str:
    """A digest of the files' identities (path, size, mtime) and the code version."""
    h = hashlib.sha256(f"{FORMAT}:{__version__}".encode())
    folders: dict[Path, Path] = {}  # each folder resolved once
    for f in files:
        st = f.stat()
        folder = folders.get(f.parent) or folders.setdefault(f.parent, f.parent.resolve())
        h.update(f"{folder / f.name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:24]


def records_path(folder: Path, key: str) -> Path:
    """The file of every record for ``key``."""
    return folder / f"bank-{key}.json"


def index_path(folder: Path, key: str) -> Path:
    """The index file for ``key``."""
    return folder / f"bank-{key}.index.json"


# ---------------------------------------------------------------------------- records


def question_of(d: dict) -> Question:
    """A question from its record."""
    answer = d["answer"]
    return Question(**{**d, "type": QType(d["type"]), "tags": tuple(d["tags"]),
                       "references": tuple(d["references"]), "choices": tuple(d["choices"]),
                       "choice_order": tuple(d.get("choice_order", ())),
                       "answer": tuple(answer) if isinstance(answer, list) else answer,
                       "tolerance": Tolerance(**d["tolerance"]),
                       "keywords": tuple(Concept({k: tuple(v) for k, v in c["phrases"].items()}) for c in d["keywords"])})


def template_of(d: dict) -> Template:
    """A template from its record."""
    return Template(**{**d, "tags": tuple(d["tags"]), "references": tuple(d["references"]),
                       "tolerance": Tolerance(**d["tolerance"]),
                       "params": tuple(Param(**{**p, "choices": tuple(p["choices"])}) for p in d["params"])})


def _record(obj: Question | Template) -> dict:
    d = asdict(obj)
    if isinstance(d.get("type"), QType):
        d["type"] = d["type"].value
    return d


def to_json(bank: Bank) -> str:
    """The bank as one JSON document (topics, questions, templates)."""
    return json.dumps({"topics": [asdict(t) for t in bank.topics.values()],
                       "questions": [_record(q) for q in bank.questions],
                       "templates": [_record(t) for t in bank.templates]}, ensure_ascii=False)


def from_json(text: str) -> Bank:
    """A bank from :func:`to_json`'s document."""
    doc = json.loads(text)
    return Bank(topics={t["id"]: Topic(**t) for t in doc["topics"]},
                questions=[question_of(q) for q in doc["questions"]],
                templates=[template_of(t) for t in doc["templates"]])


def _encode(bank: Bank) -> tuple[bytes, dict]:
    """The records file's bytes and the index document pointing into it."""
    chunks = [b"[\n"]
    offset = len(chunks[0])
    spans: list[tuple[int, int]] = []
    items: list[Question | Template] = [*bank.questions, *bank.templates]
    for i, obj in enumerate(items):
        data = json.dumps(_record(obj), ensure_ascii=False).encode("utf-8")
        spans.append((offset, len(data)))
        sep = b",\n" if i < len(items) - 1 else b"\n"
        chunks += [data, sep]
        offset += len(data) + len(sep)
    chunks.append(b"]\n")
    n = len(bank.questions)
    index = {
        "format": FORMAT,
        "topics": [asdict(t) for t in bank.topics.values()],
        "questions": [[q.id, q.topic, q.type.value, q.difficulty, q.group, *spans[i]] for i, q in enumerate(bank.questions)],
        "templates": [[t.id, t.topic, t.difficulty, t.group, *spans[n + i]] for i, t in enumerate(bank.templates)],
    }
    return b"".join(chunks), index


# ---------------------------------------------------------------------------- reading and writing


def read_index(folder: Path, key: str) -> dict | None:
    """The index document for ``key`` (checked for shape), or None when absent or unreadable."""
    try:
        doc = json.loads(index_path(folder, key).read_bytes())
        if doc["format"] != FORMAT or not isinstance(doc["topics"], list):
            return None
        if not all(len(e) == 7 for e in doc["questions"]) or not all(len(e) == 6 for e in doc["templates"]):
            return None
        return doc
    except _ERRORS:
        return None


def read_records(folder: Path, key: str, spans: list[tuple[int, int]]) -> list[dict] | None:
    """The records at ``spans`` (byte offset, length), or None when any cannot be read."""
    try:
        out: list[Any] = [None] * len(spans)
        with open(records_path(folder, key), "rb") as f:
            for i in sorted(range(len(spans)), key=lambda j: spans[j][0]):
                offset, length = spans[i]
                f.seek(offset)
                data = f.read(length)
                if len(data) != length:
                    return None
                out[i] = json.loads(data)
        return out if all(isinstance(r, dict) for r in out) else None
    except _ERRORS:
        return None


def read(folder: Path, key: str) -> Bank | None:
    """The whole cached bank for ``key``, or None when absent or unreadable."""
    index = read_index(folder, key)
    if index is None:
        return None
    try:
        records = json.loads(records_path(folder, key).read_bytes())
        n = len(index["questions"])
        if not isinstance(records, list) or len(records) != n + len(index["templates"]):
            return None
        return Bank(topics={t["id"]: Topic(**t) for t in index["topics"]},
                    questions=[question_of(d) for d in records[:n]],
                    templates=[template_of(d) for d in records[n:]])
    except _ERRORS:
        return None


def write(folder: Path, key: str, bank: Bank) -> None:
    """Store the bank for ``key`` (records, then index, each atomically), dropping older cache files."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        keep = {records_path(folder, key).name, index_path(folder, key).name}
        for old in folder.glob("bank-*.json"):
            if old.name not in keep:
                old.unlink(missing_ok=True)
        records, index = _encode(bank)
        for path, data in ((records_path(folder, key), records),
                           (index_path(folder, key), json.dumps(index, ensure_ascii=False).encode("utf-8"))):
            tmp = folder / f".{path.name}.{os.getpid()}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs time
