"""A JSON cache of loaded banks, so start-up does not re-parse unchanged YAML.

The key covers each file's path, size and modification time and the package
version; a stale or unreadable cache is simply rebuilt. JSON rather than pickle:
the cache is data, and loading it must never run code.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from bigmodel_quiz import __version__
from bigmodel_quiz.bank.model import Bank, Concept, Param, QType, Question, Template, Tolerance, Topic

FORMAT = 2


def cache_key(files: list[Path]) -> str:
    """A digest of the files' identities (path, size, mtime) and the code version."""
    h = hashlib.sha256(f"{FORMAT}:{__version__}".encode())
    for f in files:
        st = f.stat()
        h.update(f"{f.resolve()}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:24]


def _question(d: dict) -> Question:
    answer = d["answer"]
    return Question(**{**d, "type": QType(d["type"]), "tags": tuple(d["tags"]),
                       "references": tuple(d["references"]), "choices": tuple(d["choices"]),
                       "choice_order": tuple(d.get("choice_order", ())),
                       "answer": tuple(answer) if isinstance(answer, list) else answer,
                       "tolerance": Tolerance(**d["tolerance"]),
                       "keywords": tuple(Concept({k: tuple(v) for k, v in c["phrases"].items()}) for c in d["keywords"])})


def _template(d: dict) -> Template:
    return Template(**{**d, "tags": tuple(d["tags"]), "references": tuple(d["references"]),
                       "tolerance": Tolerance(**d["tolerance"]),
                       "params": tuple(Param(**{**p, "choices": tuple(p["choices"])}) for p in d["params"])})


def to_json(bank: Bank) -> str:
    """The bank as a JSON document."""
    def plain(obj):  # type: ignore[no-untyped-def]
        d = asdict(obj)
        if "type" in d and isinstance(d["type"], QType):
            d["type"] = d["type"].value
        return d

    return json.dumps({"topics": [asdict(t) for t in bank.topics.values()],
                       "questions": [plain(q) for q in bank.questions],
                       "templates": [asdict(t) for t in bank.templates]}, ensure_ascii=False)


def from_json(text: str) -> Bank:
    """A bank from :func:`to_json`'s document."""
    doc = json.loads(text)
    return Bank(topics={t["id"]: Topic(**t) for t in doc["topics"]},
                questions=[_question(q) for q in doc["questions"]],
                templates=[_template(t) for t in doc["templates"]])


def read(folder: Path, key: str) -> Bank | None:
    """The cached bank for ``key``, or None when absent or unreadable."""
    path = folder / f"bank-{key}.json"
    try:
        return from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write(folder: Path, key: str, bank: Bank) -> None:
    """Store the bank for ``key`` (atomically), dropping older cache files."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("bank-*.json"):
            old.unlink(missing_ok=True)
        tmp = folder / f".bank-{key}.{os.getpid()}.tmp"
        tmp.write_text(to_json(bank), encoding="utf-8")
        os.replace(tmp, folder / f"bank-{key}.json")
    except OSError:
        pass  # a cache that cannot be written only costs time
