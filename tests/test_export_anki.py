"""``quiz export bank --format anki`` parsed back, and ``quiz export history --format csv`` read with csv."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest

from bigmodel_quiz.bank.loader import load_bank
from bigmodel_quiz.export import ANKI_COLUMNS, anki_text, bank_questions
from bigmodel_quiz.store import open_store
from bigmodel_quiz.store.db import AnswerRecord, GradeRecord
from bigmodel_quiz.errors import ExitCode

DEMO = Path(__file__).parent / "fixtures" / "banks"
HEADERS = ["#separator:tab", "#html:true", "#guid column:1", f"#tags column:{len(ANKI_COLUMNS)}"]


def parse_anki(text: str) -> tuple[list[str], list[list[str]]]:
    """Header lines and the rows, split the way Anki's importer splits them."""
    lines = text.split("\n")
    assert lines[-1] == "", "the file ends with a newline"
    headers = [line for line in lines[:-1] if line.startswith("#")]
    rows = [line.split("\t") for line in lines[len(headers):-1]]
    return headers, rows


@pytest.fixture
def demo_banks(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("QUIZ_BANK_DIR", str(DEMO))
    return DEMO


def test_anki_file_parses_back(cli, demo_banks) -> None:
    result = cli("export", "bank", "--format", "anki", "--lang", "en", "--seed", "5")
    assert result.exit_code == ExitCode.OK
    headers, rows = parse_anki(result.stdout)
    assert headers == HEADERS
    bank = load_bank([DEMO])
    assert len(rows) == len(bank.questions) + len(bank.templates)
    assert all(len(r) == len(ANKI_COLUMNS) for r in rows)
    by_id = {r[0]: r for r in rows}
    assert "demo-gpt-params@5" in by_id  # parametric questions instantiated with the seed
    single = by_id["demo-single"]
    assert single[1].startswith("Which letter is right?") and "B. Right one" in single[1]
    assert "<b>Answer:</b> B. Right one" in single[2] and "Goodfellow, Bengio &amp; Courville" in single[2]
    assert single[3].split(" ") == ["demo", "basics"]
    assert by_id["demo-multi"][3].split(" ") == ["demo", "basics", "sets"]
    assert "Key points:" in by_id["demo-short"][2]


def test_anki_chinese_and_same_seed_same_file(cli, demo_banks) -> None:
    first = cli("export", "bank", "--format", "anki", "--lang", "zh", "--seed", "7").stdout
    assert first == cli("export", "bank", "--format", "anki", "--lang", "zh", "--seed", "7").stdout
    _, rows = parse_anki(first)
    tf = next(r for r in rows if r[0] == "demo-tf")
    assert tf[1].startswith("MLP 的输入层有参数。") and "<b>答案：</b>错" in tf[2]
    assert "答案:" not in first and "出处:" not in first and "要点:" not in first  # full-width colons after Chinese labels


def test_anki_fields_escape_tabs_newlines_and_html() -> None:
    bank = load_bank([DEMO])
    base = next(q for q in bank.questions if q.id == "demo-single")
    tricky = replace(
        base, tags=("two words", "x"),
        prompt={"en": 'Is <b> "bold"?\tTabbed\n\n```python\nif a < b:\n\treturn a\n```\nUse `x & y`.',
                "zh": "同上"},
        explanation={"en": "Line one\nline **two**\n\n- a list\n- of two", "zh": "同上"},
    )
    headers, rows = parse_anki(anki_text(bank_questions(bank, 0) + [tricky], "en"))
    assert headers == HEADERS and all(len(r) == 4 for r in rows)
    front, back, tags = rows[-1][1], rows[-1][2], rows[-1][3]
    assert "&lt;b&gt; &quot;bold&quot;?    Tabbed" in front
    assert "<pre><code>if a &lt; b:<br>    return a</code></pre>" in front
    assert "<code>x &amp; y</code>" in front and '"' not in front
    # Markdown's reading: a wrapped line is one line, paragraphs and list items break
    assert "Line one line <b>two</b><br><br>- a list<br>- of two" in back
    assert tags.split(" ") == ["demo", "two_words", "x"]


def test_history_csv_reads_back(cli) -> None:
    tricky = 'dropout, "weight decay"\nand more'
    with open_store() as store:
        store.record_answer(AnswerRecord(
            session_id="s1", question_id="demo-short", topic="demo", qtype="short", given=tricky,
            correct=True, score=0.67, response_s=12.5, answered_at="2025-03-03T09:00:00.000+00:00",
            tags=("regularisation", "basics"), difficulty="medium", mode="review"))
        store.record_answer(AnswerRecord(
            session_id="s1", question_id="demo-gpt-params@3", topic="demo", qtype="numeric", given="1e8",
            correct=False, score=0.0, response_s=40.0, answered_at="2025-03-03T09:01:00.000+00:00",
            template="demo-gpt-params", tags=("transformer",), mode="mock"))
        store.record_grade(GradeRecord("softmax", "passed", 5, 5, "cpu", 1.25, "2025-03-03T10:00:00.000+00:00",
                                       "my_softmax.py"))
    result = cli("export", "history", "--format", "csv")
    assert result.exit_code == ExitCode.OK
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert [r["kind"] for r in rows] == ["answer", "answer", "grade"]
    short, numeric, grade = rows
    assert short["given"] == tricky and short["tags"] == "regularisation;basics"
    assert (short["correct"], short["score"], short["response_s"], short["mode"]) == ("True", "0.67", "12.5", "review")
    assert numeric["template"] == "demo-gpt-params" and numeric["mode"] == "mock"
    assert (grade["exercise"], grade["status"], grade["passed"], grade["total"]) == ("softmax", "passed", "5", "5")
    assert grade["answered_at"] == "2025-03-03T10:00:00.000+00:00"


def test_shipped_banks_export_to_well_formed_anki() -> None:
    from bigmodel_quiz.bank.loader import load

    bank, problems = load()
    if problems or not bank.questions:
        pytest.skip("the shipped banks are being written")
    headers, rows = parse_anki(anki_text(bank_questions(bank, 0), "zh"))
    assert headers == HEADERS and rows and all(len(r) == 4 and r[3] for r in rows)


def test_anki_italics_tables_and_template_instances(cli, monkeypatch, tmp_path) -> None:
    from bigmodel_quiz.export import _anki_html

    html = _anki_html("An *italic* and _other_ word, a*b*c stays.\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\nafter **约定。**后")
    assert "<i>italic</i>" in html and "<i>other</i>" in html and "a*b*c" in html
    assert "<table><tr><th>x</th><th>y</th></tr><tr><td>1</td><td>2</td></tr></table>" in html
    assert "<b>约定</b>。后" in html
    monkeypatch.setenv("QUIZ_BANK_DIR", str(DEMO))
    out = cli("export", "bank", "--format", "anki", "--seed", "5", "--instances", "3").stdout
    ids = [line.split("\t")[0] for line in out.splitlines() if not line.startswith("#")]
    assert [i for i in ids if i.startswith("demo-gpt-params@")] == ["demo-gpt-params@5", "demo-gpt-params@6",
                                                                     "demo-gpt-params@7"]
