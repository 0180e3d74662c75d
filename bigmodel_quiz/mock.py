"""Mock interviews: a timed run with no feedback until the end, then a report and a study plan.

The clock is injected (``clock`` in seconds, ``stamp`` for stored times). The terminal
side implements :class:`MockIO`; its ``ask`` is given the deadline and may return
:data:`Signal.TIME_UP` when it closes the question itself. A line mode that can only
notice the time after a line arrives is covered too: an answer that arrives after the
deadline is discarded and the question counts as closed by the clock.
"""

from __future__ import annotations

import math
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Callable, Protocol

from bigmodel_quiz.bank.answers import Unparsable, Verdict, answer_text, grade, rated
from bigmodel_quiz.bank.model import DIFFICULTIES, QType, Question
from bigmodel_quiz.errors import UsageError
from bigmodel_quiz.exercises.catalog import ExerciseInfo
from bigmodel_quiz.lang import LANGS
from bigmodel_quiz.session.runner import QUIT_WORDS, recorded_text
from bigmodel_quiz.store.db import AnswerRecord, Store, utc_now

# Minutes a question of each type gets when --minutes is not given.
MINUTES_PER_TYPE = {"truefalse": 0.75, "single": 1.25, "multi": 2.0, "numeric": 3.0, "short": 4.0}
WEAK_TOPIC = 0.7  # a topic scoring below this goes into the study plan
PLAN_TAGS = 5
PLAN_EXERCISES = 3
REPORT_VERSION = 1


class Signal(Enum):
    """What ``MockIO.ask`` returns instead of text when the clock closed the question."""

    TIME_UP = "time-up"


class ItemStatus(str, Enum):
    """How one question of a mock interview ended."""

    RIGHT = "right"
    WRONG = "wrong"
    TIMEOUT = "timeout"  # the time ran out while it was open


class MockIO(Protocol):
    """What a mock interview needs from its terminal."""

    def show_question(self, q: Question, index: int, total: int, remaining_s: float) -> None: ...
    def ask(self, q: Question, deadline: float) -> str | None | Signal: ...  # None at end of input
    def show_hint(self, hint: Unparsable) -> None: ...
    def show_time_up(self) -> None: ...
    def rate_short(self, q: Question, verdict: Verdict) -> int | None: ...  # key points, model answer, 1..4


@dataclass(frozen=True)
class MockItem:
    """One asked question, with what the report needs to show it again later."""

    question_id: str
    topic: str
    qtype: str
    difficulty: str
    tags: tuple[str, ...]
    status: ItemStatus
    given: str
    seconds: float
    prompt: dict[str, str]
    right_answer: dict[str, str]
    explanation: dict[str, str]
    references: tuple[str, ...]
    rating: int | None = None  # short answers: the user's own recall rating

    @property
    def missed(self) -> bool:
        """Wrong, or closed by the clock."""
        return self.status is not ItemStatus.RIGHT


@dataclass(frozen=True)
class Score:
    """Asked and right answers of one topic or tag."""

    name: str
    asked: int
    right: int

    @property
    def ratio(self) -> float:
        """Share of right answers (0 when nothing was asked)."""
        return self.right / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class StudyPlan:
    """What to do next: the weakest tags, topics to review, exercises to write."""

    weakest_tags: tuple[Score, ...] = ()
    topics: tuple[str, ...] = ()
    exercises: tuple[str, ...] = ()


@dataclass(frozen=True)
class MockReport:
    """A finished (or stopped) mock interview."""

    session_id: str
    started_at: str
    minutes: float
    used_s: float
    items: tuple[MockItem, ...]
    not_reached: int
    time_up: bool
    stopped: bool
    topics: tuple[Score, ...] = ()
    plan: StudyPlan = field(default_factory=StudyPlan)

    @property
    def right(self) -> int:
        """Right answers."""
        return sum(1 for i in self.items if i.status is ItemStatus.RIGHT)

    def as_json(self) -> dict:
        """The report as stored and as ``quiz stats --session ID --json`` prints it."""
        doc = asdict(self)
        doc["version"] = REPORT_VERSION
        doc["right"] = self.right
        doc["asked"] = len(self.items)
        for item in doc["items"]:
            item["status"] = ItemStatus(item["status"]).value
        return doc

    @classmethod
    def from_json(cls, doc: dict) -> "MockReport":
        """The report back from its stored JSON."""
        items = tuple(MockItem(**{**i, "tags": tuple(i["tags"]), "references": tuple(i["references"]),
                                  "status": ItemStatus(i["status"])}) for i in doc["items"])
        plan = doc.get("plan") or {}
        return cls(
            session_id=doc["session_id"], started_at=doc["started_at"], minutes=doc["minutes"],
            used_s=doc["used_s"], items=items, not_reached=doc["not_reached"], time_up=doc["time_up"],
            stopped=doc["stopped"], topics=tuple(Score(**s) for s in doc.get("topics", ())),
            plan=StudyPlan(weakest_tags=tuple(Score(**s) for s in plan.get("weakest_tags", ())),
                           topics=tuple(plan.get("topics", ())), exercises=tuple(plan.get("exercises", ()))),
        )


def default_minutes(questions: list[Question]) -> float:
    """A fair length for ``questions``: a per-type budget, rounded up to whole minutes."""
    return max(1.0, float(math.ceil(sum(MINUTES_PER_TYPE.get(q.type.value, 2.0) for q in questions))))


def fit(questions: list[Question], minutes: float) -> list[Question]:
    """Questions, in order, whose per-type time estimates fit in ``minutes`` (at least one): one too
    long for the time left is passed over for a shorter one after it."""
    out: list[Question] = []
    used = 0.0
    for q in questions:
        cost = MINUTES_PER_TYPE.get(q.type.value, 2.0)
        if used + cost > minutes:
            continue
        out.append(q)
        used += cost
    return out or questions[:1]


def arrange(questions: list[Question]) -> list[Question]:
    """Topics interleaved, each topic warming up from easy to hard."""
    by_topic: dict[str, list[Question]] = defaultdict(list)
    for q in questions:
        by_topic[q.topic].append(q)
    rank = {d: i for i, d in enumerate(DIFFICULTIES)}
    queues = [sorted(qs, key=lambda q: rank.get(q.difficulty, 1)) for qs in by_topic.values()]
    out: list[Question] = []
    while any(queues):
        for qs in queues:
            if qs:
                out.append(qs.pop(0))
    return out


def _texts(q: Question, field_name: str) -> dict[str, str]:
    return {lang: q.text(field_name, lang) for lang in LANGS}


def _item(q: Question, status: ItemStatus, given: str, seconds: float, rating: int | None = None) -> MockItem:
    return MockItem(rating=rating,
        question_id=q.id, topic=q.topic, qtype=q.type.value, difficulty=q.difficulty, tags=q.tags,
        status=status, given=given, seconds=round(seconds, 1), prompt=_texts(q, "prompt"),
        right_answer={lang: answer_text(q, lang) for lang in LANGS},
        explanation=_texts(q, "explanation"), references=q.references,
    )


MAX_MINUTES = 24 * 60


def check_minutes(minutes: float) -> None:
    """A mock interview lasts more than 0 and at most a day: UsageError otherwise."""
    if not 0 < minutes <= MAX_MINUTES:  # NaN and inf included
        raise UsageError(f"--minutes must be more than 0 and at most {MAX_MINUTES}, got {minutes:g}")


def run_mock(questions: list[Question], io: MockIO, store: Store, *, minutes: float,
             clock: Callable[[], float] = time.monotonic, stamp: Callable[[], str] = utc_now) -> MockReport:
    """Ask until the questions or the time run out; answers are stored, feedback waits for the report."""
    check_minutes(minutes)
    session_id = uuid.uuid4().hex[:12]
    started_at = stamp()
    start = clock()
    deadline = start + minutes * 60
    items: list[MockItem] = []
    time_up = stopped = False
    paused = 0.0  # seconds spent rating short answers: not interview time

    def record(q: Question, given: str, correct: bool, score: float, seconds: float, **extra: object) -> None:
        store.record_answer(AnswerRecord(
            session_id=session_id, question_id=q.id, topic=q.topic, qtype=q.type.value,
            given=given, correct=correct, score=score, response_s=round(seconds, 3), answered_at=stamp(),
            template=q.template, tags=q.tags, difficulty=q.difficulty, mode="mock", **extra,  # type: ignore[arg-type]
        ))

    try:
        for index, q in enumerate(questions):
            opened = clock()
            if opened >= deadline:
                time_up = True
                break
            io.show_question(q, index, len(questions), deadline - opened)
            while True:
                text = io.ask(q, deadline)
                now = clock()
                if text is Signal.TIME_UP or now >= deadline:
                    # The clock closed the question: a line that arrived too late does not count.
                    # It is stored as a wrong answer, so history, stats and review see it.
                    record(q, "", False, 0.0, deadline - opened, timed_out=True)
                    items.append(_item(q, ItemStatus.TIMEOUT, "", deadline - opened))
                    time_up = True
                    break
                if text is None or text.strip().lower() in QUIT_WORDS:
                    stopped = True
                    break
                try:
                    verdict = grade(q, text)
                except Unparsable as exc:
                    io.show_hint(exc)
                    continue
                rating = None
                if q.type is QType.SHORT:
                    # Self-rated like in review; the clock stops while the user reads and rates.
                    rating = io.rate_short(q, verdict)
                    wait = clock() - now
                    paused += wait
                    deadline += wait
                    if rating is None:  # stopped at the rating prompt, as with Ctrl-C there: not recorded
                        stopped = True
                        break
                    verdict = rated(verdict, rating)
                record(q, recorded_text(q, text, verdict), verdict.correct, verdict.score, now - opened, rating=rating,
                       matcher_score=(verdict.matcher_score if rating else verdict.score) if q.type is QType.SHORT else None)
                status = ItemStatus.RIGHT if verdict.correct else ItemStatus.WRONG
                items.append(_item(q, status, verdict.normalized, now - opened, rating))
                break
            if time_up or stopped:
                break
    except (KeyboardInterrupt, EOFError):
        stopped = True
    if time_up:
        io.show_time_up()
    used = min(clock(), deadline) - start - paused
    return MockReport(
        session_id=session_id, started_at=started_at, minutes=minutes, used_s=round(used, 1),
        items=tuple(items), not_reached=len(questions) - len(items), time_up=time_up,
        stopped=stopped, topics=topic_scores(items),
    )


def plan_interview(questions: list[Question], minutes: float | None) -> tuple[list[Question], float]:
    """The questions in interview order and the length in minutes (UsageError when out of range)."""
    questions = arrange(questions)
    if minutes is not None:
        check_minutes(minutes)
        questions = fit(questions, minutes)  # as many questions as the time allows
    minutes = minutes if minutes is not None else default_minutes(questions)
    check_minutes(minutes)
    return questions, minutes


def conduct_interview(questions: list[Question], io: MockIO, *, minutes: float,
                      clock: Callable[[], float] = time.monotonic) -> MockReport:
    """A whole mock interview: asked, then stored with its study plan when anything was answered."""
    from bigmodel_quiz.exercises.catalog import index
    from bigmodel_quiz.store import open_store

    with open_store() as store:
        report = run_mock(questions, io, store, minutes=minutes, clock=clock)
        if report.items:
            passed = {ex for ex, status in store.exercise_status().items() if status == "passed"}
            report = with_plan(report, study_plan(report, index(), passed))
            save_report(store, report)
    return report


def topic_scores(items: list[MockItem] | tuple[MockItem, ...]) -> tuple[Score, ...]:
    """Score per topic, weakest first."""
    asked: Counter = Counter(i.topic for i in items)
    right: Counter = Counter(i.topic for i in items if not i.missed)
    scores = [Score(t, asked[t], right[t]) for t in asked]
    return tuple(sorted(scores, key=lambda s: (s.ratio, -s.asked, s.name)))


def study_plan(report: MockReport, exercises: list[ExerciseInfo], passed: set[str]) -> StudyPlan:
    """The weakest tags, the topics below 70 %, and exercises on those topics not yet passed."""
    asked: Counter = Counter(t for i in report.items for t in i.tags)
    missed: Counter = Counter(t for i in report.items if i.missed for t in i.tags)
    tags = sorted((Score(t, asked[t], asked[t] - missed[t]) for t in missed),
                  key=lambda s: (-(s.asked - s.right), s.ratio, s.name))[:PLAN_TAGS]
    topics = [s.name for s in report.topics if s.ratio < WEAK_TOPIC]
    if not topics:
        topics = [s.name for s in report.topics if s.right < s.asked]
    order = {t: i for i, t in enumerate(topics)}
    fits = [e for e in exercises if e.id not in passed and e.bank_topic in order]
    fits.sort(key=lambda e: (order[e.bank_topic], e.id))
    return StudyPlan(tuple(tags), tuple(topics), tuple(e.id for e in fits[:PLAN_EXERCISES]))


def with_plan(report: MockReport, plan: StudyPlan) -> MockReport:
    """The report with its study plan filled in."""
    from dataclasses import replace

    return replace(report, plan=plan)


def save_report(store: Store, report: MockReport) -> None:
    """Store the report, so ``quiz stats --session ID`` can show it again."""
    store.save_mock_report(report.session_id, report.started_at, report.as_json())


def load_report(store: Store, session_id: str) -> MockReport:
    """A stored report; UsageError naming the known sessions when there is none."""
    doc = store.mock_report(session_id)
    if doc is None:
        known = [r.session_id for r in list_reports(store)][-5:]
        hint = f"; recent: {', '.join(known)}" if known else "; no mock interview is stored yet"
        raise UsageError(f"no mock interview with session id {session_id!r}{hint}")
    return MockReport.from_json(doc)


@dataclass(frozen=True)
class ReportLine:
    """A stored mock interview in a listing."""

    session_id: str
    started_at: str
    asked: int
    right: int
    minutes: float


def list_reports(store: Store) -> list[ReportLine]:
    """Every stored mock interview, oldest first."""
    return [ReportLine(doc["session_id"], doc["started_at"], doc["asked"], doc["right"], doc["minutes"])
            for doc in store.mock_reports()]
