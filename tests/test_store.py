"""The progress store: migrations, corruption, concurrency, kill -9."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bigmodel_quiz.store.db import DB_NAME, AnswerRecord, open_store, utc_now
from bigmodel_quiz.store.migrations import MIGRATIONS
from bigmodel_quiz.errors import ExitCode


def schema_version(conn: sqlite3.Connection) -> int:
    """The highest applied migration."""
    row = conn.execute("SELECT MAX(version) FROM _migrations").fetchone()
    return int(row[0] or 0)


QUIZ = [sys.executable, "-m", "bigmodel_quiz"]


def _answer(i: int) -> AnswerRecord:
    return AnswerRecord(session_id="s", question_id=f"q{i}", topic="t", qtype="single", given="A",
                        correct=i % 2 == 0, score=1.0, response_s=0.1, answered_at=utc_now())


def test_fresh_store_is_migrated_and_wal(quiz_home: Path) -> None:
    with open_store() as store:
        assert schema_version(store.conn) == MIGRATIONS[-1][0]
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        store.record_answer(_answer(1))
    with open_store() as store:  # reopening applies nothing twice
        assert len(store.answers()) == 1
        n = store.conn.execute("SELECT COUNT(*) FROM _migrations").fetchone()[0]
        assert n == len(MIGRATIONS)


def test_a_store_from_the_first_release_is_migrated_with_its_answers(quiz_home: Path, cli) -> None:
    version, name, sql = MIGRATIONS[0]
    conn = sqlite3.connect(quiz_home / DB_NAME)
    conn.executescript(
        "CREATE TABLE _migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);"
        + sql + f";INSERT INTO _migrations VALUES ({version}, '{name}', '2026-01-01T00:00:00Z');"
        "INSERT INTO answers (session_id, question_id, topic, qtype, given, correct, score, response_s, answered_at)"
        " VALUES ('old', 'of-dropout-why-it-works', 'overfitting', 'short', 'ensemble', 1, 1.0, 9.5,"
        " '2026-01-02T10:00:00Z')"
    )
    conn.commit()
    conn.close()
    with open_store() as store:
        assert schema_version(store.conn) == MIGRATIONS[-1][0]
        [answer] = store.answers()
        assert answer.question_id == "of-dropout-why-it-works" and answer.correct
    stats = cli("stats", "--json")
    assert stats.exit_code == ExitCode.OK and '"answered": 1' in stats.stdout
    with open_store() as store:  # the old answer also seeded its review card
        assert [tuple(r) for r in store.conn.execute("SELECT key FROM cards")] == [("of-dropout-why-it-works",)]


def test_corrupt_store_is_moved_aside_not_erased(quiz_home: Path, cli) -> None:
    db = quiz_home / DB_NAME
    junk = b"this is not a database" * 100
    db.write_bytes(junk)
    result = cli("export", "history")
    assert result.exit_code == ExitCode.OK
    assert result.stdout.strip() == "[]"
    notice = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert len(notice) == 1 and "moved to" in notice[0]
    moved = [p for p in quiz_home.iterdir() if ".corrupt-" in p.name]
    assert len(moved) == 1 and moved[0].read_bytes() == junk
    with open_store() as store:
        assert store.notice is None


def test_a_data_folder_that_is_a_file_is_one_line_and_the_bank_still_works(tmp_path: Path, cli, monkeypatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("mine", encoding="utf-8")
    monkeypatch.setenv("QUIZ_HOME", str(blocker))
    for args in (("topics",), ("stats",), ("--data-dir", str(blocker / "sub"), "export", "history")):
        result = cli(*args)
        assert result.exit_code == ExitCode.FAILED, args
        assert result.stdout == ""
        [line] = result.stderr.splitlines()
        assert line.startswith("error: cannot use ") and "as the data folder" in line
    assert cli("validate").exit_code == ExitCode.OK  # commands that need no store are not blocked
    assert blocker.read_text(encoding="utf-8") == "mine"


def test_truncated_database_page_is_detected(quiz_home: Path) -> None:
    with open_store() as store:
        for i in range(300):
            store.record_answer(_answer(i))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = quiz_home / DB_NAME
    data = bytearray(db.read_bytes())
    data[len(data) // 2: len(data) // 2 + 4096] = b"\x07" * 4096
    db.write_bytes(bytes(data))
    with open_store() as store:
        assert store.notice is not None and "moved to" in store.notice
        assert store.answers() == []


def _bank_of_truefalse(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["topic:", "  id: tf", "  title: {en: TF, zh: TF}", "  description: {en: D, zh: D}", "questions:"]
    for i in range(n):
        lines += [f"  - id: tf-{i}", "    type: truefalse", "    difficulty: easy", "    tags: [x]",
                  f"    prompt: {{en: 'Statement number {i}?', zh: '第 {i} 个陈述？'}}", "    answer: true",
                  "    explanation: {en: E, zh: E}", "    references: [{source: R, locator: p. 1}]"]
    (folder / "tf.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _env(quiz_home: Path, banks: Path) -> dict:
    env = dict(os.environ)
    env.update(QUIZ_HOME=str(quiz_home), QUIZ_BANK_DIR=str(banks))
    return env


def test_two_processes_lose_nothing(quiz_home: Path, tmp_path: Path) -> None:
    banks = _bank_of_truefalse(tmp_path / "banks", 200)
    env = _env(quiz_home, banks)
    procs = [subprocess.Popen(QUIZ + ["start", "--count", "200", "--lang", "en"], stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
             for _ in range(2)]
    for p in procs:
        p.stdin.write(b"t\n" * 200)
        p.stdin.close()
    for p in procs:
        assert p.wait(timeout=120) == ExitCode.OK, p.stderr.read().decode()
    with open_store() as store:
        answers = store.answers()
    assert len(answers) == 400
    assert len({a.session_id for a in answers}) == 2


def test_kill_9_mid_session_keeps_answers(quiz_home: Path, tmp_path: Path) -> None:
    banks = _bank_of_truefalse(tmp_path / "banks", 20)
    proc = subprocess.Popen(QUIZ + ["start", "--count", "20", "--lang", "en"], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(quiz_home, banks))
    proc.stdin.write(b"t\nf\nt\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    count = 0
    while time.monotonic() < deadline:
        if (quiz_home / DB_NAME).exists():
            conn = sqlite3.connect(quiz_home / DB_NAME, timeout=5)
            try:
                count = conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
            except sqlite3.OperationalError:
                count = 0
            conn.close()
            if count == 3:
                break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert count == 3
    with open_store() as store:
        assert [a.correct for a in store.answers()] == [True, False, True]


@pytest.mark.parametrize("args", [
    ("stats",),
    ("review", "--lang", "en", "--new", "0"),
    ("start", "--mode", "mock", "--topic", "demo", "--count", "1", "--lang", "en"),
], ids=["stats", "review", "mock"])
def test_a_corrupt_store_is_reported_once_by_every_command(quiz_home: Path, cli, monkeypatch, args) -> None:
    monkeypatch.setenv("QUIZ_BANK_DIR", str(Path(__file__).parent / "fixtures" / "banks"))
    (quiz_home / DB_NAME).write_bytes(b"this is not a database" * 100)
    result = cli(*args, input="q\n")
    assert result.exit_code == ExitCode.OK, result.output
    notices = [line for line in result.stderr.splitlines() if "moved to" in line]
    assert len(notices) == 1, result.stderr
    assert "moved to" not in result.stdout


def test_record_answer_returns_its_row_id(quiz_home: Path) -> None:
    with open_store() as store:
        first = store.record_answer(_named("a"))
        second = store.record_answer(_named("b"))
        assert second == first + 1
        row = store.conn.execute("SELECT question_id FROM answers WHERE id = ?", (second,)).fetchone()
        assert row["question_id"] == "b"


def test_a_transaction_rolls_back_whole(quiz_home: Path) -> None:
    with open_store() as store:
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.record_answer(_named("a"))
                raise RuntimeError("interrupted")
        assert store.answers() == []
        with store.transaction():
            store.record_answer(_named("a"))
            store.record_answer(_named("b"))
        assert [a.question_id for a in store.answers()] == ["a", "b"]


def test_mock_reports_round_trip(quiz_home: Path) -> None:
    with open_store() as store:
        store.save_mock_report("s2", "2025-01-02T00:00:00+00:00", {"session_id": "s2", "n": 2})
        store.save_mock_report("s1", "2025-01-01T00:00:00+00:00", {"session_id": "s1", "n": "一"})
        assert store.mock_report("s1") == {"session_id": "s1", "n": "一"} and store.mock_report("zz") is None
        assert [d["session_id"] for d in store.mock_reports()] == ["s1", "s2"]


def _named(question_id: str) -> AnswerRecord:
    return AnswerRecord(session_id="s", question_id=question_id, topic="t", qtype="single", given="a",
                        correct=True, score=1.0, response_s=1.0, answered_at="2025-01-01T00:00:00+00:00")


def test_damaged_pages_are_reported_in_one_line(quiz_home: Path, cli) -> None:
    """Bytes overwritten inside many pages: SQLite's whole check output is not printed, one line is."""
    with open_store() as store:
        for i in range(300):
            store.record_answer(_answer(i))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = quiz_home / DB_NAME
    data = bytearray(db.read_bytes())
    for page in range(1, len(data) // 4096):
        data[page * 4096 + 8: page * 4096 + 208] = bytes((i * 37 + page) % 256 for i in range(200))
    db.write_bytes(bytes(data))
    result = cli("stats", "--lang", "en")
    assert result.exit_code == ExitCode.OK
    [line] = result.stderr.splitlines()
    assert "moved to" in line and "damaged" in line and len(line) < 400, line
