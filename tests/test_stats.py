"""``quiz stats``: figures against a seeded history, the chart on 80 columns, a simulated week."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bigmodel_quiz.review.cards import make_scheduler
from bigmodel_quiz.stats import Tally, compute_stats, streak, weakest
from bigmodel_quiz.store import open_store
from bigmodel_quiz.store.db import AnswerRecord, GradeRecord
from bigmodel_quiz.errors import ExitCode

UTC = timezone.utc
NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)  # a Monday
ANSI = re.compile(r"\x1b\[[0-9;]*m")

# (day offset from NOW, hour, question, correct)
HISTORY = [
    (-5, 9, "alpha-2", True),
    (-2, 9, "alpha-0", True), (-2, 9, "alpha-1", False),
    (-1, 9, "beta-0", True), (-1, 9, "beta-1", False), (-1, 9, "beta-2", False),
    (0, 9, "alpha-0", True), (0, 9, "beta-0", True),
]


def _seed(store, now: datetime = NOW) -> None:  # type: ignore[no-untyped-def]
    for days, hour, qid, ok in HISTORY:
        at = (now + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
        if at > now:
            at = now - timedelta(minutes=1)
        topic = qid.split("-")[0]
        store.record_answer(AnswerRecord(
            session_id="seed", question_id=qid, topic=topic, qtype="single", given="a", correct=ok,
            score=float(ok), response_s=4.0, answered_at=at.isoformat(timespec="milliseconds"),
            tags=(f"{topic}-tag", "shared"),
        ))
    at = now.isoformat(timespec="milliseconds")
    for ex, status in (("ex1", "failed"), ("ex1", "passed"), ("ex2", "failed")):
        store.record_grade(GradeRecord(ex, status, 1, 2, "cpu", 0.5, at))


@pytest.fixture
def exercises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "exercises"
    folder.mkdir()
    for eid, topic in (("ex1", "alpha"), ("ex2", "beta"), ("ex3", "beta")):
        (folder / f"{eid}.yaml").write_text(f"id: {eid}\ntopic: {topic}\nkind: python\nentry: f_{eid}\n", encoding="utf-8")
    monkeypatch.setattr("bigmodel_quiz.paths.exercise_text_dir", lambda: folder)
    return folder


def test_figures_from_a_seeded_history(exercises: Path) -> None:
    with open_store() as store:
        _seed(store)
        stats = compute_stats(store, now=NOW, tz=UTC, scheduler=make_scheduler(fuzz=False))
    doc = stats.as_json()
    assert (doc["answered"], doc["correct"], doc["accuracy"]) == (8, 5, 0.625)
    assert doc["by_topic"] == [{"topic": "alpha", "answered": 4, "correct": 3, "accuracy": 0.75},
                               {"topic": "beta", "answered": 4, "correct": 2, "accuracy": 0.5}]
    assert {t["tag"]: (t["answered"], t["correct"]) for t in doc["by_tag"]} == {
        "alpha-tag": (4, 3), "beta-tag": (4, 2), "shared": (8, 5)}
    assert [t["tag"] for t in doc["weakest_tags"]] == ["beta-tag", "shared", "alpha-tag"]
    days = {d["date"]: (d["answered"], d["correct"]) for d in doc["days"]}
    assert len(doc["days"]) == 14 and doc["days"][-1]["date"] == "2025-03-10"
    assert days["2025-03-10"] == (2, 2) and days["2025-03-09"] == (3, 1) and days["2025-03-08"] == (2, 1)
    assert days["2025-03-05"] == (1, 1) and days["2025-03-07"] == (0, 0)
    assert doc["streak_days"] == 3  # 03-08, 03-09, 03-10; nothing on 03-06 and 03-07
    # due today: alpha-2 (Good on 03-05: due 03-07), alpha-1, beta-1, beta-2 (Again: 10 minutes later);
    # alpha-0 and beta-0, right twice, are due on 03-21 and 03-17: beyond this week
    assert (doc["due"]["today"], doc["due"]["week"]) == (4, 4)
    assert doc["due"]["next"] == "2025-03-17T09:00:00+00:00"
    assert doc["exercises"] == {"passed": 1, "tried": 2, "total": 3, "passed_ids": ["ex1"]}


def test_topic_filter(exercises: Path) -> None:
    with open_store() as store:
        _seed(store)
        stats = compute_stats(store, now=NOW, tz=UTC, topic="beta", scheduler=make_scheduler(fuzz=False))
    doc = stats.as_json()
    assert doc["topic"] == "beta" and doc["answered"] == 4
    assert [t["topic"] for t in doc["by_topic"]] == ["beta"]
    assert doc["due"]["today"] == 2
    assert doc["exercises"] == {"passed": 0, "tried": 1, "total": 2, "passed_ids": []}


def test_streak_and_weakest_rules() -> None:
    today = date(2025, 3, 10)
    days = {today - timedelta(days=i) for i in (1, 2, 3)}
    assert streak(days, today) == 3  # today is not over: yesterday's streak still counts
    assert streak(days | {today}, today) == 4
    assert streak({today - timedelta(days=2)}, today) == 0
    tags = (Tally("one-miss", 1, 0), Tally("many", 10, 4), Tally("perfect", 5, 5))
    assert [t.name for t in weakest(tags)] == ["many", "one-miss"]


def test_stats_command_json_matches_the_core(cli, exercises: Path) -> None:
    now = datetime.now(UTC)
    with open_store() as store:
        _seed(store, now)
    result = cli("stats", "--json")
    assert result.exit_code == ExitCode.OK
    doc = json.loads(result.stdout)  # one JSON object and nothing else
    assert (doc["answered"], doc["correct"]) == (8, 5)
    assert doc["streak_days"] == 3 and doc["exercises"]["passed_ids"] == ["ex1"]
    assert {t["topic"] for t in doc["by_topic"]} == {"alpha", "beta"}
    assert cli("stats", "--json", "--topic", "alpha").exit_code == ExitCode.OK
    bad = cli("stats", "--topic", "nope")
    assert bad.exit_code == ExitCode.USAGE and "unknown topic" in bad.stderr


def test_chart_reads_on_80_columns_without_colour(exercises: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from bigmodel_quiz.cli.stats_view import render_stats

    monkeypatch.setenv("NO_COLOR", "1")
    with open_store() as store:
        _seed(store)
        stats = compute_stats(store, now=NOW, tz=UTC, scheduler=make_scheduler(fuzz=False))
    buf = io.StringIO()
    console = Console(file=buf, width=80, force_terminal=True, color_system="truecolor")
    render_stats(console, stats, "en", NOW)
    raw = buf.getvalue()
    assert not re.search(r"\x1b\[(3\d|4\d|9\d)", raw), "NO_COLOR output has colour codes"
    text = ANSI.sub("", raw)
    lines = text.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    row = {line.split()[0]: line for line in lines if re.match(r"\s*\d\d-\d\d ", line)}
    assert len(row) == 14
    assert row["03-10"].count("█") == 20 and "100%" in row["03-10"]        # 2 of 2
    assert row["03-09"].count("█") == 7 and " 33%" in row["03-09"]         # 1 of 3
    assert row["03-09"].count("▇") == 20 and row["03-10"].count("▇") == 13  # volume: 3 vs 2
    assert row["03-07"].count("█") == 0 and "–" in row["03-07"]             # nothing that day
    assert "streak 3 days" in text and "Due now 4 · by tonight 4" in text


def test_stats_command_on_80_columns(cli, exercises: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    with open_store() as store:
        _seed(store, datetime.now(UTC))
    result = cli("stats", "--lang", "zh")
    assert result.exit_code == ExitCode.OK
    assert "\x1b[" not in result.stdout
    assert "最近 14 天" in result.stdout and "连续 3 天" in result.stdout


# -- a new user's first week ----------------------------------------------------------------
def simulate_week(bank_dir: Path, days: int = 7, new_per_day: int = 4):  # type: ignore[no-untyped-def]
    """Review every evening at 19:00 UTC for ``days`` days; beta-1 and beta-3 are always hard to recall."""
    from bigmodel_quiz.bank.loader import load_bank
    from bigmodel_quiz.review.session import run_review

    bank = load_bank([bank_dir])
    sched = make_scheduler(fuzz=False)
    start = datetime(2025, 3, 3, 19, 0, tzinfo=UTC)
    clock = {"t": start, "mono": 0.0}
    snapshots = []

    class IO:
        asked: list[str]

        def show_question(self, q, index, total):  # type: ignore[no-untyped-def]
            self.asked.append(q.id)

        def ask(self, q):  # type: ignore[no-untyped-def]
            clock["t"] += timedelta(seconds=8)
            clock["mono"] += 8
            return "f" if q.id in ("beta-1", "beta-3") and self.asked.count(q.id) == 1 else "t"

        def show_hint(self, message):  # type: ignore[no-untyped-def]
            raise AssertionError(message)

        def show_feedback(self, q, verdict):  # type: ignore[no-untyped-def]
            pass

        def ask_rating(self, q, verdict):  # type: ignore[no-untyped-def]
            return None

    with open_store() as store:
        for day in range(days):
            clock["t"] = start + timedelta(days=day)
            before = compute_stats(store, now=clock["t"], tz=UTC, scheduler=sched)
            io_ = IO()
            io_.asked = []
            result = run_review(bank, io_, store, new_per_day=new_per_day, now=lambda: clock["t"],
                                clock=lambda: clock["mono"], tz=UTC, scheduler=sched, seed=day)
            after = compute_stats(store, now=clock["t"], tz=UTC, scheduler=sched)
            snapshots.append({"day": day, "due_before": before.due_today, "due_now_before": before.due_now, "due_week_before": before.due_week,
                              "due_queue": len(result.queue.due), "new": len(result.queue.new),
                              "asked": io_.asked, "after": after})
    return snapshots


def test_a_simulated_week(tmp_path: Path) -> None:
    from test_review import write_bank

    snaps = simulate_week(write_bank(tmp_path / "banks", {"alpha": 6, "beta": 6}))
    assert [s["new"] for s in snaps] == [4, 4, 4, 0, 0, 0, 0]  # 12 questions at 4 a day
    assert snaps[0]["due_before"] == 0 and snaps[0]["due_queue"] == 0
    # day 0's cards rated Good (2-day interval) come back on day 2
    assert snaps[1]["due_queue"] == 0 and snaps[2]["due_queue"] >= 2
    # stats' "due now" is what review asks: the same notion of due
    assert all(s["due_now_before"] == s["due_queue"] for s in snaps)
    # lapses are asked twice in their sitting
    first = snaps[0]["asked"] + snaps[1]["asked"] + snaps[2]["asked"]
    assert first.count("beta-1") + first.count("beta-3") >= 2
    # the chart: one more practised day each evening, and the streak follows
    for s in snaps:
        chart = s["after"].days
        assert sum(1 for d in chart if d.answered) == s["day"] + 1
        assert s["after"].streak == s["day"] + 1
        assert chart[-1].answered == len(s["asked"])
    # once every card is learned, the next week's load is visible and today's is done
    last = snaps[-1]["after"]
    assert last.due_today == 0 and last.due_week > 0


def test_a_card_due_later_today_is_not_due_now(exercises: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """An Again answer comes back ten minutes later: stats says so, and does not call it due now (as review does)."""
    now = datetime.now(UTC)
    with open_store() as store:
        store.record_answer(AnswerRecord(
            session_id="s", question_id="demo-single", topic="demo", qtype="single", given="a", correct=False,
            score=0.0, response_s=4.0, answered_at=(now - timedelta(minutes=1)).isoformat(timespec="milliseconds")))
        stats = compute_stats(store, now=now, scheduler=make_scheduler(fuzz=False))
    assert stats.due_now == 0 and stats.as_json()["due"]["now"] == 0
    monkeypatch.setenv("QUIZ_BANK_DIR", str(Path(__file__).parent / "fixtures" / "banks"))
    text = cli("stats", "--lang", "en").stdout
    assert "Due now 0 · by tonight 1" in text and "next card in" in text
    review = cli("review", "--lang", "en", "--new", "0").stdout
    assert "Nothing due" in review and "Next card due in" in review
