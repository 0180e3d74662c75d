"""Exports for other tools: the user's history and the bank itself."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict

from bigmodel_quiz.bank.model import Bank, Question
from bigmodel_quiz.bank.templates import instantiate
from bigmodel_quiz.store.db import Store

HISTORY_FIELDS = ["kind", "question_id", "topic", "type", "given", "correct", "score", "response_s",
                  "answered_at", "session_id", "template", "difficulty", "tags", "mode",
                  "exercise", "status", "passed", "total", "device", "duration_s"]


def history_rows(store: Store) -> list[dict]:
    """Every answer, then every grade, as flat records."""
    rows = []
    for a in store.answers():
        rows.append({"kind": "answer", "question_id": a.question_id, "topic": a.topic, "type": a.qtype,
                     "given": a.given, "correct": a.correct, "score": a.score, "response_s": a.response_s,
                     "answered_at": a.answered_at, "session_id": a.session_id, "template": a.template,
                     "difficulty": a.difficulty, "tags": list(a.tags), "mode": a.mode})
    for g in store.grades():
        rows.append({"kind": "grade", "exercise": g.exercise, "status": g.status, "passed": g.passed,
                     "total": g.total, "device": g.device, "duration_s": g.duration_s,
                     "answered_at": g.graded_at, "correct": g.status == "passed", "file": g.file})
    return rows


def history_csv(rows: list[dict]) -> str:
    """The history as CSV with a header row."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=HISTORY_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for r in rows:
        writer.writerow({**r, "tags": ";".join(r.get("tags", []))})
    return buf.getvalue()


def question_json(q: Question) -> dict:
    """One question as ``quiz export bank --format json`` prints it."""
    doc = {"id": q.id, "topic": q.topic, "type": q.type.value, "difficulty": q.difficulty,
           "tags": list(q.tags), "prompt": q.prompt, "explanation": q.explanation,
           "answer": list(q.answer) if isinstance(q.answer, tuple) else q.answer,
           "references": list(q.references)}
    if q.choices:
        doc["choices"] = list(q.choices)
    if q.type.value == "numeric":
        doc["unit"] = q.unit
        doc["tolerance"] = {k: v for k, v in asdict(q.tolerance).items() if v is not None} or {"rel": 0.01}
    if q.type.value == "short":
        doc["keywords"] = [dict(c.phrases) for c in q.keywords]
        doc["min_keywords"] = q.min_keywords
        doc["model_answer"] = q.model_answer
    if q.template:
        doc["template"] = q.template
    return doc


def bank_questions(bank: Bank, seed: int) -> list[Question]:
    """Every question, with each template instantiated from ``seed``."""
    return list(bank.questions) + [instantiate(t, seed) for t in bank.templates]
