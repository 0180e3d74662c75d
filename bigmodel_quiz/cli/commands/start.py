"""``quiz start``: a practice session, or a timed mock interview."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from bigmodel_quiz.cli.options import LangOpt, SeedOpt, lang_of


DEFAULT_COUNT = 10
MOCK_POOL = 60


class Mode(str, Enum):
    """Session modes."""

    practice = "practice"
    mock = "mock"


def start(
    topic: Annotated[Optional[list[str]], typer.Option("--topic", "-t", help="Topic to practise (repeatable; default: all).")] = None,
    count: Annotated[Optional[int], typer.Option(
        "--count", "-n", help="Number of questions (default 10; a mock with --minutes: as many as fit).")] = None,
    difficulty: Annotated[Optional[str], typer.Option("--difficulty", help="easy, medium or hard.")] = None,
    qtype: Annotated[Optional[str], typer.Option("--type", help="single, multi, truefalse, numeric or short.")] = None,
    lang: LangOpt = None,
    seed: SeedOpt = None,
    mode: Annotated[Mode, typer.Option("--mode", help="practice: feedback after each answer; mock: a timed interview.")] = Mode.practice,
    minutes: Annotated[Optional[float], typer.Option(
        "--minutes", help="Length of a mock interview in minutes (default: from the questions, 0.75 to 4 minutes each).")] = None,
) -> None:
    """Start a quiz session on the shipped banks."""
    from bigmodel_quiz.bank.index import load_index
    from bigmodel_quiz.cli.console import out
    from bigmodel_quiz.cli.messages import SESSION
    from bigmodel_quiz.cli.session_view import RichSessionIO, print_next_step, summary_table
    from bigmodel_quiz.session.runner import run_session
    from bigmodel_quiz.session.select import select
    from bigmodel_quiz.store import open_store

    if minutes is not None and mode is not Mode.mock:
        from bigmodel_quiz.errors import UsageError

        raise UsageError("--minutes sets the length of a mock interview: add --mode mock")
    language = lang_of(lang)
    bank = load_index()
    from bigmodel_quiz.session.history import seen_by_key

    with open_store() as store:
        seen = seen_by_key(store)
    asked_for = count
    if count is None:
        # a mock with --minutes chooses from a wider pool, so that short questions can fill the time
        count = MOCK_POOL if mode is Mode.mock and minutes is not None else DEFAULT_COUNT
    questions = select(bank, topics=topic, count=count, difficulty=difficulty, qtype=qtype, seed=seed, seen=seen)
    if asked_for is not None and len(questions) < asked_for:
        from bigmodel_quiz.cli.console import print_notice

        n = len(questions)
        print_notice(SESSION[language]["fewer"].format(n=n, s="" if n == 1 else "s", count=asked_for))
    console = out()
    if mode is Mode.mock:
        from bigmodel_quiz.cli import mock_view

        mock_view.show_interview(console, questions, language, minutes=minutes, topics=bank.topics)
        return
    with open_store() as store:
        io = RichSessionIO(console, language)
        io.topics = bank.topics
        summary = run_session(questions, io, store)
    if summary.stopped_early:
        console.print(SESSION[language]["stopped"])
    if not summary.answered:
        return  # quit at the first question: no empty table
    console.print(summary_table(summary, language, bank.topics))
    print_next_step(console, summary, language)


def register(app: typer.Typer) -> None:
    """Add ``start``."""
    app.command("start")(start)
