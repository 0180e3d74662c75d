"""Running a practice session: ask, grade, store at once, summarise.

The terminal side is an object implementing :class:`SessionIO`; the core never
imports typer or rich.
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Protocol

from bigmodel_quiz.bank.answers import Unparsable, Verdict, grade, rated
from bigmodel_quiz.bank.model import QType, Question
from bigmodel_quiz.store.db import AnswerRecord, Store, utc_now

QUIT_WORDS = {"q", "quit", "exit", ":q"}


class SessionIO(Protocol):
    """What a session needs from its terminal."""

    def show_question(self, q: Question, index: int, total: int) -> None: ...
    def ask(self, q: Question) -> str | None: ...  # None at end of input
    def show_hint(self, hint: Unparsable) -> None: ...
    def show_feedback(self, q: Question, verdict: Verdict) -> None: ...
    def ask_rating(self, q: Question, verdict: Verdict) -> int | None: ...  # 1..4; None (end of input, q): not recorded


@dataclass
class TopicScore:
    """Answers and right answers in one topic."""

    answered: int = 0
    correct: int = 0


@dataclass
class Summary:
    """What a session did."""

    session_id: str
    asked: int = 0
    answered: int = 0
    correct: int = 0
    by_topic: dict[str, TopicScore] = field(default_factory=lambda: defaultdict(TopicScore))
    stopped_early: bool = False
    total: int = 0
    missed: list[str] = field(default_factory=list)  # ids of the questions answered wrong (or rated Again)


def recorded_text(q: Question, text: str, verdict: Verdict) -> str:
    """What the history keeps: a choice answer in the bank's own letters, anything else as typed."""
    from bigmodel_quiz.bank.choices import bank_letters

    if q.type in (QType.SINGLE, QType.MULTI):
        return bank_letters(q, verdict.normalized)
    return text.strip()


AfterAnswer = Callable[[Question, Verdict, "int | None", float, int], None]  # ..., rating, seconds, answer id


def run_session(questions: list[Question], io: SessionIO, store: Store, *,
                mode: str = "practice", clock: Callable[[], float] = time.monotonic,
                after_answer: AfterAnswer | None = None, ask_rating: bool = True,
                stamp: Callable[[], str] = utc_now) -> Summary:
    """Ask each question; every answer is committed before the next question."""
    summary = Summary(session_id=uuid.uuid4().hex[:12], total=len(questions))
    try:
        for index, q in enumerate(questions):
            summary.asked += 1
            io.show_question(q, index, len(questions))
            start = clock()
            while True:
                text = io.ask(q)
                if text is None or text.strip().lower() in QUIT_WORDS:
                    summary.stopped_early = index < len(questions)
                    return summary
                try:
                    verdict = grade(q, text)
                    break
                except Unparsable as exc:
                    io.show_hint(exc)
            elapsed = clock() - start
            rating = None
            if ask_rating and q.type is QType.SHORT:
                # Short answers are self-rated: key points (the matcher's hint) and the
                # model answer first, then the user's rating decides what is recorded.
                io.show_feedback(q, verdict)
                rating = io.ask_rating(q, verdict)
                if rating is None:
                    # end of input or q at the rating prompt, like Ctrl-C there: the rating decides
                    # what is recorded, so an unrated answer is not recorded; the session ends
                    summary.stopped_early = True
                    return summary
                verdict = rated(verdict, rating)
            answer_id = store.record_answer(AnswerRecord(
                session_id=summary.session_id, question_id=q.id, topic=q.topic, qtype=q.type.value,
                given=recorded_text(q, text, verdict), correct=verdict.correct, score=verdict.score,
                response_s=round(elapsed, 3), answered_at=stamp(), template=q.template,
                tags=q.tags, difficulty=q.difficulty, mode=mode, rating=rating,
                matcher_score=verdict.matcher_score if rating else (verdict.score if q.type is QType.SHORT else None),
            ))
            summary.answered += 1
            summary.correct += verdict.correct
            if not verdict.correct:
                summary.missed.append(q.id)
            score = summary.by_topic[q.topic]
            score.answered += 1
            score.correct += verdict.correct
            if not (ask_rating and q.type is QType.SHORT):
                io.show_feedback(q, verdict)
            if after_answer is not None:
                after_answer(q, verdict, rating, elapsed, answer_id)
    except (KeyboardInterrupt, EOFError):
        summary.stopped_early = True
    return summary
