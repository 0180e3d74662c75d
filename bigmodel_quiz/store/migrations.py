"""Numbered schema migrations; each runs once and is recorded in ``_migrations``.

Append new migrations at the end; never edit one that has shipped.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "answers and grades",
        """
        CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            topic TEXT NOT NULL,
            qtype TEXT NOT NULL,
            given TEXT NOT NULL,
            correct INTEGER NOT NULL,
            score REAL NOT NULL,
            response_s REAL NOT NULL,
            answered_at TEXT NOT NULL,
            template TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            difficulty TEXT NOT NULL DEFAULT '',
            mode TEXT NOT NULL DEFAULT 'practice'
        );
        CREATE INDEX answers_question ON answers(question_id);
        CREATE INDEX answers_time ON answers(answered_at);
        CREATE TABLE grades (
            id INTEGER PRIMARY KEY,
            exercise TEXT NOT NULL,
            status TEXT NOT NULL,
            passed INTEGER NOT NULL,
            total INTEGER NOT NULL,
            device TEXT NOT NULL,
            duration_s REAL NOT NULL,
            graded_at TEXT NOT NULL,
            file TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX grades_exercise ON grades(exercise);
        """,
    ),
    # -- the learning loop: FSRS cards, mock-interview reports --------------
    (
        2,
        "fsrs cards",
        """
        CREATE TABLE cards (
            key TEXT PRIMARY KEY,
            topic TEXT NOT NULL,
            state INTEGER NOT NULL,
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due TEXT NOT NULL,
            last_review TEXT,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            introduced_at TEXT NOT NULL,
            last_answer_id INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX cards_due ON cards(due);
        CREATE INDEX cards_topic ON cards(topic)
        """,
    ),
    (
        3,
        "mock interview reports",
        """
        CREATE TABLE mock_reports (
            session_id TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            report TEXT NOT NULL
        )
        """,
    ),
    (
        4,
        "self-rated short answers, timed-out questions",
        """
        ALTER TABLE answers ADD COLUMN rating INTEGER;
        ALTER TABLE answers ADD COLUMN matcher_score REAL;
        ALTER TABLE answers ADD COLUMN timed_out INTEGER NOT NULL DEFAULT 0
        """,
    ),
]
