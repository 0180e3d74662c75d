"""``quiz review``: the questions that are due (FSRS), then today's new ones."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bigmodel_quiz.cli.messages import REVIEW
from bigmodel_quiz.cli.options import LangOpt, lang_of

if TYPE_CHECKING:
    from datetime import datetime

TopicsOpt = Annotated[Optional[list[str]], typer.Option("--topic", "-t", help="Only this topic (repeatable; default: all).")]


def _at(dt: "datetime") -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M")


def review(
    topic: TopicsOpt = None,
    new: Annotated[int, typer.Option("--new", help="New questions allowed per day.", min=0)] = 10,
    lang: LangOpt = None,
) -> None:
    """Review the questions that are due (FSRS), then today's new ones."""
    from bigmodel_quiz.bank.loader import load_bank
    from bigmodel_quiz.cli.console import out
    from bigmodel_quiz.cli.session_view import RichSessionIO, summary_table
    from bigmodel_quiz.cli.stats_view import describe_wait
    from bigmodel_quiz.review.session import run_review, utc_datetime
    from bigmodel_quiz.session.select import check_choice
    from bigmodel_quiz.store import open_store

    language = lang_of(lang)
    labels = REVIEW[language]
    bank = load_bank()
    for t in topic or []:
        check_choice("topic", t, bank.topic_ids())
    console = out()

    def on_again(n: int) -> None:
        console.print(labels["again"].format(n=n, s="" if n == 1 else "s"), style="bold")

    with open_store() as store:
        io = RichSessionIO(console, language)
        io.topics = bank.topics
        result = run_review(bank, io, store, topics=topic, new_per_day=new, on_again=on_again)
    now = utc_datetime()
    if result.summary is None:
        q = result.queue
        if q.unseen and new == 0:
            line = labels["nothing_new"]
        elif q.unseen:
            line = labels["nothing_cap"].format(limit=new, today=q.new_today, more=q.new_today + 10)
        elif q.next_due is None:
            line = labels["nothing_left"]
        else:
            line = ""
        if q.next_due is not None:
            wait = labels["next" if line else "nothing_next"].format(when=describe_wait(q.next_due, now, language),
                                                                   at=_at(q.next_due))
            line = f"{line}\n{wait}" if line else wait
        console.print(line)
        return
    if result.summary.stopped_early:
        console.print(labels["stopped"])
    if result.summary.answered:
        console.print(summary_table(result.summary, language, bank.topics))
    if result.next_due is not None:
        console.print(labels["next"].format(when=describe_wait(result.next_due, now, language),
                                            at=_at(result.next_due)))


def register(app: typer.Typer) -> None:
    """Add ``review``."""
    app.command("review")(review)
