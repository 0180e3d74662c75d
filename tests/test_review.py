"""FSRS scheduling with an injected clock, due selection, the new-per-day cap, ``quiz review``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fsrs import Rating, State

from bigmodel_quiz.bank.loader import load_bank
from bigmodel_quiz.review.cards import (
    apply,
    iso,
    load_cards,
    make_scheduler,
    objective_rating,
    sync_cards,
)
from bigmodel_quiz.review.queue import build_queue, due_counts, is_due
from bigmodel_quiz.review.session import run_review
from bigmodel_quiz.store import open_store
from bigmodel_quiz.store.db import AnswerRecord, UnappliedAnswer
from bigmodel_quiz.errors import ExitCode

UTC = timezone.utc
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # a Monday morning
DEMO = Path(__file__).parent / "fixtures" / "banks"


def write_bank(folder: Path, topics: dict[str, int]) -> Path:
    """Banks of true/false questions ``<topic>-<i>`` (answer: true), tagged ``<topic>-tag``."""
    folder.mkdir(parents=True, exist_ok=True)
    for topic, n in topics.items():
        lines = [f"topic:\n  id: {topic}\n  title: {{en: {topic}, zh: {topic}}}\n"
                 f"  description: {{en: test topic, zh: 测试}}\nquestions:"]
        for i in range(n):
            lines.append(
                f"  - id: {topic}-{i}\n    type: truefalse\n    difficulty: easy\n    tags: [{topic}-tag]\n"
                f"    prompt: {{en: \"Statement {topic} {i} holds.\", zh: \"陈述 {topic} {i} 成立。\"}}\n"
                f"    answer: true\n    explanation: {{en: \"It holds.\", zh: \"成立。\"}}\n"
                f"    references: [{{source: \"Test book\", locator: ch. {i}}}]")
        (folder / f"{topic}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


class FakeClock:
    """Wall time that moves only when told to; a monotonic twin for response times."""

    def __init__(self, start: datetime = T0) -> None:
        self.t = start
        self.mono = 0.0

    def now(self) -> datetime:
        return self.t

    def monotonic(self) -> float:
        return self.mono

    def advance(self, **kw: float) -> None:
        self.t += timedelta(**kw)


class ScriptedIO:
    """A SessionIO answering from a script: ``answer(q)`` gives the text, ``ratings`` the 1-4 keys."""

    def __init__(self, answer, clock: FakeClock | None = None, seconds: float = 5.0, ratings=()) -> None:  # type: ignore[no-untyped-def]
        self.answer = answer
        self.clock = clock
        self.seconds = seconds
        self.ratings = list(ratings)
        self.shown: list[str] = []
        self.rated: list[str] = []

    def show_question(self, q, index, total):  # type: ignore[no-untyped-def]
        self.shown.append(q.id)

    def ask(self, q):  # type: ignore[no-untyped-def]
        if self.clock is not None:
            self.clock.mono += self.seconds
            self.clock.advance(seconds=self.seconds)
        return self.answer(q)

    def show_hint(self, message):  # type: ignore[no-untyped-def]
        raise AssertionError(f"unexpected hint: {message}")

    def show_feedback(self, q, verdict):  # type: ignore[no-untyped-def]
        pass

    def ask_rating(self, q, verdict):  # type: ignore[no-untyped-def]
        self.rated.append(q.id)
        return self.ratings.pop(0) if self.ratings else None


def right(q):  # type: ignore[no-untyped-def]
    return "t"


def demo_answer(q):  # type: ignore[no-untyped-def]
    """Right answers to the demo bank (the short one covers two of its three points)."""
    if q.template:
        return "1e8"
    return {"single": "b", "multi": "a,c", "truefalse": "f", "numeric": "14",
            "short": "dropout and weight decay"}[q.type.value]


def answer(store, qid: str, topic: str, correct: bool, at: datetime, seconds: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    store.record_answer(AnswerRecord(
        session_id="s", question_id=qid, topic=topic, qtype="truefalse", given="t" if correct else "f",
        correct=correct, score=float(correct), response_s=seconds,
        answered_at=at.isoformat(timespec="milliseconds"), tags=(f"{topic}-tag",),
    ))


# -- the scheduler itself --------------------------------------------------------------
def _pending(at: datetime, answer_id: int = 1) -> UnappliedAnswer:
    return UnappliedAnswer(answer_id, "k", "alpha", "truefalse", True, 1.0, 3.0, iso(at), None)


def test_good_is_not_due_tomorrow_but_after_its_interval() -> None:
    sched = make_scheduler(fuzz=False)
    card = apply(None, _pending(T0), Rating.Good, sched)
    interval = card.due - T0
    assert card.card.state is State.Review and interval >= timedelta(days=2)
    assert not is_due(card, T0 + timedelta(days=1), UTC)
    assert not is_due(card, T0 + interval - timedelta(days=1), UTC)
    assert is_due(card, T0 + interval, UTC)
    # a second Good answer on its due day pushes it much further out
    again = apply(card, _pending(T0 + interval, 2), Rating.Good, sched)
    assert again.due - (T0 + interval) > 2 * interval


def test_again_brings_it_back_within_minutes() -> None:
    sched = make_scheduler(fuzz=False)
    new = apply(None, _pending(T0), Rating.Again, sched)
    assert new.due - T0 == timedelta(minutes=10)
    assert not is_due(new, T0 + timedelta(minutes=5), UTC)
    assert is_due(new, T0 + timedelta(minutes=10), UTC)

    learned = apply(None, _pending(T0), Rating.Good, sched)
    lapse_at = learned.due
    lapsed = apply(learned, _pending(lapse_at, 2), Rating.Again, sched)
    assert lapsed.card.state is State.Relearning and lapsed.lapses == 1
    assert lapsed.due - lapse_at == timedelta(minutes=10)


@pytest.mark.parametrize(("qtype", "correct", "score", "seconds", "expected"), [
    ("single", True, 1.0, 4.0, Rating.Good),
    ("single", True, 1.0, 95.0, Rating.Hard),
    ("numeric", True, 1.0, 60.0, Rating.Good),
    ("numeric", False, 0.0, 3.0, Rating.Again),
    ("short", True, 0.67, 30.0, Rating.Hard),
    ("short", True, 1.0, 30.0, Rating.Good),
])
def test_objective_rating(qtype: str, correct: bool, score: float, seconds: float, expected: Rating) -> None:
    assert objective_rating(qtype, correct, score, seconds) == expected


# -- cards follow the history ---------------------------------------------------------
def test_every_answer_feeds_its_card_once(tmp_path: Path) -> None:
    sched = make_scheduler(fuzz=False)
    with open_store() as store:
        answer(store, "alpha-0", "alpha", True, T0)
        answer(store, "alpha-1", "alpha", False, T0)
        assert sync_cards(store, sched) == 2
        assert sync_cards(store, sched) == 0  # applied once only
        cards = load_cards(store)
        assert cards["alpha-0"].card.state is State.Review and cards["alpha-0"].reps == 1
        assert cards["alpha-1"].due == T0 + timedelta(minutes=10)
        answer(store, "alpha-1", "alpha", True, T0 + timedelta(minutes=12))
        assert sync_cards(store, sched) == 1
        assert load_cards(store)["alpha-1"].reps == 2


def test_parametric_questions_share_their_templates_card() -> None:
    bank = load_bank([DEMO])
    sched = make_scheduler(fuzz=False)
    clock = FakeClock()
    with open_store() as store:
        io = ScriptedIO(demo_answer, clock, ratings=[3])
        run_review(bank, io, store, now=clock.now, clock=clock.monotonic, scheduler=sched, tz=UTC, seed=1)
        keys = set(load_cards(store))
    assert "demo-gpt-params" in keys and not any("@" in k for k in keys)


# -- what is due -----------------------------------------------------------------------
def test_review_shows_only_due_cards(tmp_path: Path) -> None:
    bank = load_bank([write_bank(tmp_path / "banks", {"alpha": 4})])
    sched = make_scheduler(fuzz=False)
    with open_store() as store:
        answer(store, "alpha-0", "alpha", True, T0)                        # Good: due in 2+ days
        answer(store, "alpha-1", "alpha", False, T0)                       # Again: due in 10 minutes
        answer(store, "alpha-2", "alpha", True, T0 - timedelta(days=30))   # long overdue
        sync_cards(store, sched)
        clock = FakeClock(T0 + timedelta(days=1))
        io = ScriptedIO(right, clock)
        result = run_review(bank, io, store, new_per_day=0, now=clock.now, clock=clock.monotonic,
                            scheduler=sched, tz=UTC)
    # most overdue first; alpha-0 is not due, alpha-3 is new and new cards are capped at 0
    assert io.shown == ["alpha-2", "alpha-1"]
    assert result.queue.due == ("alpha-2", "alpha-1") and result.queue.new == ()
    assert result.next_due is not None and result.next_due > clock.now()


def test_new_cards_are_capped_per_day(tmp_path: Path) -> None:
    bank = load_bank([write_bank(tmp_path / "banks", {"alpha": 5})])
    sched = make_scheduler(fuzz=False)
    clock = FakeClock()
    with open_store() as store:
        io = ScriptedIO(right, clock)
        first = run_review(bank, io, store, new_per_day=2, now=clock.now, clock=clock.monotonic, scheduler=sched, tz=UTC)
        assert len(io.shown) == 2 and first.queue.new_today == 0
        clock.advance(hours=1)
        second = run_review(bank, ScriptedIO(right, clock), store, new_per_day=2, now=clock.now,
                            clock=clock.monotonic, scheduler=sched, tz=UTC)
        assert second.summary is None and second.queue.new_today == 2 and second.queue.unseen == 3
        assert second.queue.next_due is not None
        clock.advance(days=1)
        io3 = ScriptedIO(right, clock)
        run_review(bank, io3, store, new_per_day=2, now=clock.now, clock=clock.monotonic, scheduler=sched, tz=UTC)
        assert len(io3.shown) == 2 and not set(io3.shown) & set(io.shown)


def test_topic_filter(tmp_path: Path) -> None:
    bank = load_bank([write_bank(tmp_path / "banks", {"alpha": 3, "beta": 3})])
    clock = FakeClock()
    with open_store() as store:
        io = ScriptedIO(right, clock)
        run_review(bank, io, store, topics=["beta"], now=clock.now, clock=clock.monotonic,
                   scheduler=make_scheduler(fuzz=False), tz=UTC)
    assert io.shown and all(q.startswith("beta-") for q in io.shown)


def test_wrong_answers_come_back_before_the_sitting_ends(tmp_path: Path) -> None:
    bank = load_bank([write_bank(tmp_path / "banks", {"alpha": 2})])
    clock = FakeClock()
    seen: list[int] = []
    attempts: dict[str, int] = {}

    def wrong_once(q):  # type: ignore[no-untyped-def]
        attempts[q.id] = attempts.get(q.id, 0) + 1
        return "f" if q.id == "alpha-0" and attempts[q.id] == 1 else "t"

    with open_store() as store:
        io = ScriptedIO(wrong_once, clock)
        result = run_review(bank, io, store, now=clock.now, clock=clock.monotonic, tz=UTC,
                            scheduler=make_scheduler(fuzz=False), on_again=seen.append)
        cards = load_cards(store)
    assert io.shown == ["alpha-0", "alpha-1", "alpha-0"] or io.shown == ["alpha-1", "alpha-0", "alpha-0"]
    assert seen == [1] and result.again == 1
    assert result.summary is not None and result.summary.answered == 3
    assert cards["alpha-0"].reps == 2


def test_short_answers_use_the_users_rating() -> None:
    bank = load_bank([DEMO])
    clock = FakeClock()
    short = [q for q in bank.questions if q.type.value == "short"]
    with open_store() as store:
        io = ScriptedIO(demo_answer, clock, ratings=[4])
        run_review(bank, io, store, topics=["demo"], new_per_day=10, now=clock.now, clock=clock.monotonic,
                   scheduler=make_scheduler(fuzz=False), tz=UTC)
        card = load_cards(store)[short[0].id]
    assert io.rated == [short[0].id]
    # Easy graduates at once (days out); the derived rating would have been Hard (2 of 3 points).
    assert card.card.state is State.Review and card.due - card.card.last_review >= timedelta(days=4)


def test_due_counts_today_and_week() -> None:
    sched = make_scheduler(fuzz=False)
    with open_store() as store:
        answer(store, "a", "alpha", False, T0)                        # due in 10 minutes
        answer(store, "b", "alpha", True, T0)                         # due in 2 days
        answer(store, "c", "alpha", True, T0 - timedelta(days=1))
        answer(store, "c", "alpha", True, T0 + timedelta(days=1))     # due weeks later
        sync_cards(store, sched)
        counts = due_counts(load_cards(store), T0, UTC)
    assert (counts.today, counts.week) == (1, 2)
    assert counts.next_due == T0 + timedelta(minutes=10)


def test_queue_without_history_offers_easy_new_cards_first(tmp_path: Path) -> None:
    bank = load_bank([DEMO])
    queue = build_queue(bank, {}, now=T0, new_per_day=3, tz=UTC)
    difficulties = {q.id: q.difficulty for q in bank.questions}
    assert len(queue.new) == 3 and queue.due == ()
    assert [difficulties.get(k, "hard") for k in queue.new][0] == "easy"


# -- the command ----------------------------------------------------------------------
def test_review_command_nothing_due_says_when(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    banks = write_bank(tmp_path / "banks", {"alpha": 1})
    monkeypatch.setenv("QUIZ_BANK_DIR", str(banks))
    result = cli("review", "--lang", "en", input="t\n")
    assert result.exit_code == ExitCode.OK, result.output
    assert "Session summary" in result.stdout
    result = cli("review", "--lang", "en")
    assert result.exit_code == ExitCode.OK
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Nothing due now. Next card due in 2 days")


def test_review_command_new_zero_and_unknown_topic(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("QUIZ_BANK_DIR", str(write_bank(tmp_path / "banks", {"alpha": 1})))
    result = cli("review", "--new", "0", "--lang", "en")
    assert result.exit_code == ExitCode.OK and result.stdout.startswith("Nothing due: raise --new")
    result = cli("review", "--topic", "nope")
    assert result.exit_code == ExitCode.USAGE and "unknown topic 'nope'" in result.stderr
    assert cli("review", "--new", "-1").exit_code == ExitCode.USAGE


def test_review_says_why_nothing_is_new_after_a_practice_session(cli, monkeypatch) -> None:
    from pathlib import Path

    monkeypatch.setenv("QUIZ_BANK_DIR", str(Path(__file__).parent / "fixtures" / "banks"))
    cli("start", "--topic", "demo", "--type", "truefalse", "--lang", "en", input="f\n")
    result = cli("review", "--new", "1", "--lang", "en")
    assert "today's 1 new questions are used: 1 question(s) were first answered today" in result.stdout
    assert "mock interviews count too" in result.stdout and "quiz review --new 11" in result.stdout
    assert "Next card due" in result.stdout
    zh = cli("review", "--new", "1", "--lang", "zh")
    assert "quiz review --new 11" in zh.stdout and "额度也已用完" in zh.stdout
