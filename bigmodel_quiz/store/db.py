"""The progress store: every SQL statement of the tool, behind typed methods.

Opening it sets WAL and a busy timeout, applies the migrations and moves a corrupt file
aside. Rows come back as :class:`sqlite3.Row` and leave as the records below.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bigmodel_quiz.errors import StoreError
from bigmodel_quiz.notices import notify
from bigmodel_quiz.store.migrations import MIGRATIONS

DB_NAME = "progress.sqlite3"
BUSY_TIMEOUT_MS = 30_000


def utc_now() -> str:
    """The current time as an ISO-8601 UTC string (the store's time format)."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class AnswerRecord:
    """One answer as it is stored."""

    session_id: str
    question_id: str
    topic: str
    qtype: str
    given: str
    correct: bool
    score: float
    response_s: float
    answered_at: str
    template: str | None = None
    tags: tuple[str, ...] = ()
    difficulty: str = ""
    mode: str = "practice"
    rating: int | None = None  # the user's recall rating (1 Again .. 4 Easy), short answers
    matcher_score: float | None = None  # the key-point matcher's share, beside the rating
    timed_out: bool = False  # a mock question closed by the clock (stored as wrong)


@dataclass(frozen=True)
class GradeRecord:
    """One grade of a coding exercise as it is stored."""

    exercise: str
    status: str
    passed: int
    total: int
    device: str
    duration_s: float
    graded_at: str
    file: str = ""


@dataclass(frozen=True)
class CardState:
    """One question's FSRS card as stored (times as the store's ISO-8601 strings)."""

    key: str  # question id, or template id for parametric questions
    topic: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: str
    last_review: str | None
    reps: int
    lapses: int
    introduced_at: str
    last_answer_id: int  # the last answer applied to the card


@dataclass(frozen=True)
class UnappliedAnswer:
    """A stored answer its card has not seen yet."""

    answer_id: int
    key: str
    topic: str
    qtype: str
    correct: bool
    score: float
    response_s: float
    answered_at: str
    rating: int | None  # the user's own rating, when they gave one


_CARD_COLUMNS = ("key", "topic", "state", "step", "stability", "difficulty", "due", "last_review", "reps",
                 "lapses", "introduced_at", "last_answer_id")


class Store:
    """A connection to the progress store (autocommit: a write outside :meth:`transaction` is committed at once)."""

    def __init__(self, conn: sqlite3.Connection, path: Path, notice: str | None = None) -> None:
        self.conn = conn
        self.path = path
        self.notice = notice  # set when a corrupt file was moved aside

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction, taken at once (two processes cannot interleave their writes)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- writes -------------------------------------------------------------
    def record_answer(self, rec: AnswerRecord) -> int:
        """Store one answer (committed before returning, unless inside a transaction); its row id."""
        cursor = self.conn.execute(
            "INSERT INTO answers (session_id, question_id, topic, qtype, given, correct,"
            " score, response_s, answered_at, template, tags, difficulty, mode, rating, matcher_score,"
            " timed_out) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                rec.session_id, rec.question_id, rec.topic, rec.qtype, rec.given,
                int(rec.correct), rec.score, rec.response_s, rec.answered_at,
                rec.template, json.dumps(list(rec.tags)), rec.difficulty, rec.mode,
                rec.rating, rec.matcher_score, int(rec.timed_out),
            ),
        )
        return int(cursor.lastrowid or 0)

    def record_grade(self, rec: GradeRecord) -> None:
        """Store one grade, committed before returning."""
        self.conn.execute(
            "INSERT INTO grades (exercise, status, passed, total, device, duration_s,"
            " graded_at, file) VALUES (?,?,?,?,?,?,?,?)",
            (rec.exercise, rec.status, rec.passed, rec.total, rec.device,
             rec.duration_s, rec.graded_at, rec.file),
        )

    # -- reads --------------------------------------------------------------
    def answers(self) -> list[AnswerRecord]:
        """Every stored answer, oldest first."""
        rows = self.conn.execute(
            "SELECT session_id, question_id, topic, qtype, given, correct, score, response_s,"
            " answered_at, template, tags, difficulty, mode, rating, matcher_score, timed_out"
            " FROM answers ORDER BY id"
        ).fetchall()
        return [
            AnswerRecord(
                session_id=r["session_id"], question_id=r["question_id"], topic=r["topic"], qtype=r["qtype"],
                given=r["given"], correct=bool(r["correct"]), score=r["score"], response_s=r["response_s"],
                answered_at=r["answered_at"], template=r["template"], tags=tuple(json.loads(r["tags"] or "[]")),
                difficulty=r["difficulty"], mode=r["mode"], rating=r["rating"], matcher_score=r["matcher_score"],
                timed_out=bool(r["timed_out"]),
            )
            for r in rows
        ]

    def grades(self) -> list[GradeRecord]:
        """Every stored grade, oldest first."""
        rows = self.conn.execute(
            "SELECT exercise, status, passed, total, device, duration_s, graded_at, file"
            " FROM grades ORDER BY id"
        ).fetchall()
        return [GradeRecord(**dict(r)) for r in rows]

    def topic_accuracy(self) -> dict[str, tuple[int, int]]:
        """(correct, answered) per topic."""
        rows = self.conn.execute(
            "SELECT topic, SUM(correct) AS correct, COUNT(*) AS answered FROM answers GROUP BY topic"
        ).fetchall()
        return {r["topic"]: (int(r["correct"]), int(r["answered"])) for r in rows}

    def exercise_status(self) -> dict[str, str]:
        """Per exercise: ``passed`` if any grade passed, else ``failed`` if tried."""
        rows = self.conn.execute(
            "SELECT exercise, MAX(status = 'passed') AS passed FROM grades GROUP BY exercise"
        ).fetchall()
        return {r["exercise"]: ("passed" if r["passed"] else "failed") for r in rows}

    # -- FSRS cards (review/cards.py schedules them) ---------------------------
    def card_states(self) -> list[CardState]:
        """Every stored card."""
        rows = self.conn.execute(f"SELECT {', '.join(_CARD_COLUMNS)} FROM cards").fetchall()
        return [CardState(**dict(r)) for r in rows]

    def save_card(self, card: CardState) -> None:
        """Insert or replace one card."""
        self.conn.execute(
            f"INSERT OR REPLACE INTO cards ({', '.join(_CARD_COLUMNS)}) VALUES ({', '.join('?' * len(_CARD_COLUMNS))})",
            tuple(getattr(card, c) for c in _CARD_COLUMNS),
        )

    def unapplied_answers(self) -> list[UnappliedAnswer]:
        """Answers newer than their card's ``last_answer_id``, oldest first."""
        rows = self.conn.execute(
            "SELECT a.id AS answer_id, COALESCE(a.template, a.question_id) AS key, a.topic, a.qtype, a.correct,"
            " a.score, a.response_s, a.answered_at, a.rating FROM answers a"
            " LEFT JOIN cards c ON c.key = COALESCE(a.template, a.question_id)"
            " WHERE a.id > COALESCE(c.last_answer_id, 0) ORDER BY a.id"
        ).fetchall()
        return [UnappliedAnswer(**{**dict(r), "correct": bool(r["correct"])}) for r in rows]

    # -- mock interview reports (mock.py builds them) --------------------------
    def save_mock_report(self, session_id: str, started_at: str, doc: dict[str, Any]) -> None:
        """Store (or replace) a mock interview's report document."""
        self.conn.execute(
            "INSERT OR REPLACE INTO mock_reports (session_id, started_at, report) VALUES (?,?,?)",
            (session_id, started_at, json.dumps(doc, ensure_ascii=False)),
        )

    def mock_report(self, session_id: str) -> dict[str, Any] | None:
        """A stored report document, or None."""
        row = self.conn.execute("SELECT report FROM mock_reports WHERE session_id = ?", (session_id,)).fetchone()
        return None if row is None else dict(json.loads(row["report"]))

    def mock_reports(self) -> list[dict[str, Any]]:
        """Every stored report document, oldest first."""
        rows = self.conn.execute("SELECT report FROM mock_reports ORDER BY started_at, session_id").fetchall()
        return [dict(json.loads(r["report"])) for r in rows]


def _migrate(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY,"
        " name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    # BEGIN IMMEDIATE takes the write lock, so two processes opening a new
    # store at once cannot both apply the same migration.
    conn.execute("BEGIN IMMEDIATE")
    try:
        done = {r["version"] for r in conn.execute("SELECT version FROM _migrations")}
        for version, name, sql in MIGRATIONS:
            if version in done:
                continue
            for statement in sql.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(
                "INSERT INTO _migrations (version, name, applied_at) VALUES (?,?,?)",
                (version, name, utc_now()),
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _check_summary(report: list[str]) -> str:
    """SQLite's integrity report (often a hundred lines) as one line: the first problem and a count."""
    problems = [line.strip() for text in report for line in text.splitlines()
                if line.strip() and not line.startswith("***")]
    if not problems:
        return "damaged (integrity check failed)"
    more = f" and {len(problems) - 1} more problem(s)" if len(problems) > 1 else ""
    return f"damaged (integrity check: {problems[0]}{more})"


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        # Reads the whole file: a damaged page shows here, not in the middle of a session.
        result = conn.execute("PRAGMA quick_check").fetchall()
        if [tuple(r) for r in result] != [("ok",)]:
            raise sqlite3.DatabaseError(_check_summary([str(r[0]) for r in result]))
        _migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _connect_when_free(path: Path) -> sqlite3.Connection:
    # Switching a new file to WAL answers "locked" at once, without the busy handler, when
    # another process creates the same store at that moment: wait for it like a busy lock.
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return _connect(path)
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[0] + (f" … ({len(lines) - 1} more lines)" if len(lines) > 1 else "") if lines else text


def _move_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target


def open_store(data_dir: Path | None = None) -> Store:
    """Open (creating or migrating) the store; a corrupt file is moved aside, never erased."""
    if data_dir is None:
        from bigmodel_quiz.paths import data_dir as default_dir

        data_dir = default_dir()
    path = data_dir / DB_NAME
    try:
        return Store(_connect_when_free(path), path)
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise StoreError(f"progress store {path} is locked by another process: {exc}") from None
        try:
            moved = _move_aside(path)
        except OSError as move_exc:
            raise StoreError(f"progress store {path} is unreadable ({exc}) and could not be moved aside: {move_exc}") from None
        notice = (
            f"progress store {path} was unreadable ({_one_line(str(exc))}); it was moved to {moved.name} "
            "and a fresh one started"
        )
        notify(notice)
        try:
            return Store(_connect(path), path, notice=notice)
        except sqlite3.Error as exc2:
            raise StoreError(f"cannot create progress store {path}: {exc2}") from None
