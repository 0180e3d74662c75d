"""A history that names questions the bank no longer has: stats, review and export still work."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bigmodel_quiz.errors import ExitCode
from bigmodel_quiz.store import open_store
from bigmodel_quiz.store.db import AnswerRecord

from test_review import write_bank

GONE = "alpha-retired"


@pytest.fixture
def history_with_a_retired_question(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("QUIZ_BANK_DIR", str(write_bank(tmp_path / "banks", {"alpha": 2})))
    long_ago = datetime.now(timezone.utc) - timedelta(days=30)
    with open_store() as store:
        for i, (qid, ok) in enumerate(((GONE, True), ("alpha-0", True), (GONE, False))):
            at = (long_ago + timedelta(days=i)).isoformat(timespec="milliseconds")
            store.record_answer(AnswerRecord(
                session_id="old", question_id=qid, topic="alpha", qtype="truefalse", given="t", correct=ok,
                score=float(ok), response_s=5.0, answered_at=at, tags=("alpha-tag",),
            ))


@pytest.mark.usefixtures("history_with_a_retired_question")
def test_stats_counts_the_retired_question_without_failing(cli) -> None:
    result = cli("stats", "--json")
    assert result.exit_code == ExitCode.OK, result.output
    figures = json.loads(result.stdout)
    assert figures["answered"] == 3
    assert figures["due"]["today"] == 1  # alpha-0 only: the retired card can never be reviewed
    assert cli("stats", "--lang", "en").exit_code == ExitCode.OK
    assert cli("stats", "--topic", "alpha", "--lang", "en").exit_code == ExitCode.OK


@pytest.mark.usefixtures("history_with_a_retired_question")
def test_review_skips_the_retired_question(cli) -> None:
    result = cli("review", "--lang", "en", input="t\nt\nt\nt\n")
    assert result.exit_code == ExitCode.OK, result.output
    assert GONE not in result.stdout
    assert "Traceback" not in result.output


@pytest.mark.usefixtures("history_with_a_retired_question")
def test_history_export_keeps_the_retired_question(cli) -> None:
    result = cli("export", "history", "--format", "json")
    assert result.exit_code == ExitCode.OK, result.output
    assert [r for r in json.loads(result.stdout) if r.get("question_id") == GONE]
    result = cli("export", "history", "--format", "csv")
    assert result.exit_code == ExitCode.OK, result.output
    assert GONE in result.stdout
