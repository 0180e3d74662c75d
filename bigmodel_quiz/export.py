"""Exports for other tools: the user's history and the bank itself."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict

from bigmodel_quiz.bank.choices import resolve_markers
from bigmodel_quiz.bank.model import Bank, Question
from bigmodel_quiz.bank.templates import instantiate
from bigmodel_quiz.store.db import Store

HISTORY_FIELDS = ["kind", "question_id", "topic", "type", "given", "correct", "score", "response_s",
                  "answered_at", "session_id", "template", "difficulty", "tags", "mode",
                  "rating", "matcher_score", "timed_out",
                  "exercise", "status", "passed", "total", "device", "duration_s"]


def history_rows(store: Store) -> list[dict]:
    """Every answer, then every grade, as flat records."""
    rows = []
    for a in store.answers():
        rows.append({"kind": "answer", "question_id": a.question_id, "topic": a.topic, "type": a.qtype,
                     "given": a.given, "correct": a.correct, "score": a.score, "response_s": a.response_s,
                     "answered_at": a.answered_at, "session_id": a.session_id, "template": a.template,
                     "difficulty": a.difficulty, "tags": list(a.tags), "mode": a.mode,
                     "rating": a.rating, "matcher_score": a.matcher_score, "timed_out": a.timed_out})
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


INTERNAL_TAG_PREFIX = "seed-"  # bank-maintenance tags, never shown or exported


def public_tags(q: Question) -> list[str]:
    """The question's tags without the internal ones."""
    return [t for t in q.tags if not t.startswith(INTERNAL_TAG_PREFIX)]


def question_json(q: Question) -> dict:
    """One question as ``quiz export bank --format json`` prints it."""
    doc = {"id": q.id, "topic": q.topic, "type": q.type.value, "difficulty": q.difficulty,
           "tags": public_tags(q), "prompt": q.prompt,
           "explanation": {lang: resolve_markers(text) for lang, text in (q.explanation or {}).items()},
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
    if q.group:
        doc["group"] = q.group
    return doc


def bank_questions(bank: Bank, seed: int, instances: int = 1) -> list[Question]:
    """Every question, with each template instantiated ``instances`` times from ``seed``, ``seed + 1``, …"""
    made: dict[str, Question] = {}
    for t in bank.templates:
        for i in range(instances):
            q = instantiate(t, seed + i)
            made.setdefault(q.id, q)
    return list(bank.questions) + list(made.values())


# -- Anki text import ----------------------------------------------------------
ANKI_COLUMNS = ("guid", "front", "back", "tags")
_ANKI_LABELS = {
    "en": {"answer": "Answer", "source": "Source", "points": "Key points", "multi": "(choose all that apply)",
           "truefalse": "(true or false)", "colon": ":", "gap": " "},
    "zh": {"answer": "答案", "source": "出处", "points": "要点", "multi": "（多选）", "truefalse": "（判断对错）",
           "colon": "：", "gap": ""},  # a full-width colon after a Chinese label, no space after it
}


def _anki_html(text: str) -> str:
    """Bank Markdown as the small HTML Anki shows: code blocks, inline code, bold, paragraphs and list lines."""
    import html
    import re

    from bigmodel_quiz.bank.prose import fix_emphasis, unwrap

    out = []
    for i, part in enumerate(re.split(r"```[^\n]*\n(.*?)```", unwrap(text, latin=" "), flags=re.S)):
        part = part.replace("\t", "    ")
        if i % 2:  # inside a fenced block
            out.append("<pre><code>" + html.escape(part.rstrip("\n")).replace("\n", "<br>") + "</code></pre>")
            continue
        s = _anki_tables(html.escape(fix_emphasis(part.strip("\n"))))
        s = re.sub(r"`([^`\n]+)`", r"<code>\1</code>", s)
        s = re.sub(r"\*\*([^*\n]+)\*\*", r"<b>\1</b>", s)
        s = re.sub(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])", r"<i>\1</i>", s)
        s = re.sub(r"(?<![\w])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w])", r"<i>\1</i>", s)
        out.append(s.replace("\n", "<br>").replace("</table><br>", "</table>"))
    return "".join(out)


def _anki_tables(text: str) -> str:
    """Markdown pipe tables (already HTML-escaped) as ``<table>``; other lines unchanged."""
    import re

    lines, out = text.split("\n"), []
    rows: list[str] = []

    def flush() -> None:
        if rows:
            cells = [[c.strip() for c in r.strip().strip("|").split("|")] for r in rows]
            body = [r for r in cells if not all(re.fullmatch(r":?-{3,}:?", c) for c in r if c)]
            head, rest = (body[0], body[1:]) if len(body) < len(cells) else ([], body)
            html_rows = ["<tr>" + "".join(f"<th>{c}</th>" for c in head) + "</tr>"] if head else []
            html_rows += ["<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rest]
            out.append("<table>" + "".join(html_rows) + "</table>")
            rows.clear()

    for line in lines:
        if line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            rows.append(line)
        else:
            flush()
            out.append(line)
    flush()
    return "\n".join(out)


def _anki_tag(name: str) -> str:
    import re

    return re.sub(r"\s+", "_", name.strip())


def anki_card(q: Question, lang: str) -> tuple[str, str, str, str]:
    """(guid, front, back, tags) of one question as HTML fields without tabs or newlines."""
    import html

    from bigmodel_quiz.bank.answers import answer_text
    from bigmodel_quiz.bank.loader import LETTERS

    labels = _ANKI_LABELS.get(lang, _ANKI_LABELS["en"])
    front = [_anki_html(q.text("prompt", lang))]
    if q.type.value in ("multi", "truefalse"):
        front.append(f"<i>{labels[q.type.value]}</i>")
    if q.choices:
        front.append("<br>".join(f"{LETTERS[i]}. {_anki_html(q.choice_text(i, lang))}" for i in range(len(q.choices))))
    if q.type.value == "numeric" and q.unit:
        front.append(f"[{html.escape(q.unit)}]")
    c, gap = labels["colon"], labels["gap"]
    back = [f"<b>{labels['answer']}{c}</b>{gap}{_anki_html(answer_text(q, lang))}"]
    if q.type.value == "short" and q.keywords:
        points = "".join(f"<li>{html.escape(' / '.join(c.phrases.get(lang, ())[:2]))}</li>" for c in q.keywords)
        back.append(f"{labels['points']}{c}<ul>{points}</ul>")
    back.append(_anki_html(resolve_markers(q.text("explanation", lang))))
    back.append(f"<small>{labels['source']}{c}{gap}{html.escape('; '.join(q.references))}</small>")
    tags = " ".join(dict.fromkeys(_anki_tag(t) for t in (q.topic, *public_tags(q)) if t.strip()))
    return q.id, "<br><br>".join(front), "<br><br>".join(back), tags


def anki_text(questions: list[Question], lang: str) -> str:
    """An Anki text-import file: header lines, then guid, front, back and tags per question."""
    lines = ["#separator:tab", "#html:true", "#guid column:1", f"#tags column:{len(ANKI_COLUMNS)}"]
    for q in questions:
        lines.append("\t".join(anki_card(q, lang)))
    return "\n".join(lines) + "\n"
