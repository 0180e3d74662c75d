"""``quiz review``: the questions that are due (FSRS), then today's new ones."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bigmodel_quiz.cli.options import LangOpt, lang_of

if TYPE_CHECKING:
    from datetime import datetime

TopicsOpt = Annotated[Optional[list[str]], typer.Option("--topic", "-t", help="Only this topic (repeatable; default: all).")]


REVIEW_LABELS = {
    "en": {"again": "Once more before you go: {n} card{s} you answered Again.",
           "next": "Next card due {when} ({at}).",
           "nothing_next": "Nothing due now. Next card due {when} ({at}).",
           "nothing_cap": "Nothing due, and today's {limit} new questions are used: {today} question(s) were first answered today "
                          "(quiz start and mock interviews count too). More tomorrow, or now: quiz review --new {more}",
           "nothing_new": "Nothing due: raise --new to start on new questions (0 allowed today).",
           "nothing_left": "Nothing due, and no new question is left in these topics.",
           "stopped": "Review stopped; every answer so far is saved and scheduled."},
    "zh": {"again": "结束前再来一遍：{n} 张选了“忘了”的卡片。",
           "next": "下一张卡片 {when}到期（{at}）。",
           "nothing_next": "现在没有到期的卡片。下一张 {when}到期（{at}）。",
           "nothing_cap": "没有到期的卡片，今天的 {limit} 道新题额度也已用完：今天首次作答了 {today} 道题（quiz start 和模拟面试也计入）。"
                          "明天再来，或现在运行：quiz review --new {more}",
           "nothing_new": "没有到期的卡片：调大 --new 开始新题（今天允许 0 道）。",
           "nothing_left": "没有到期的卡片，这些主题也没有新题了。",
           "stopped": "复习已结束，已作答的题目都已保存并安排了复习时间。"},
}


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
    labels = REVIEW_LABELS[language]
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
        console.print(summary_table(result.summary, language))
    if result.next_due is not None:
        console.print(labels["next"].format(when=describe_wait(result.next_due, now, language),
                                            at=_at(result.next_due)))


def register(app: typer.Typer) -> None:
    """Add ``review``."""
    app.command("review")(review)
