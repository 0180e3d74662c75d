"""``quiz`` with no command, on a terminal: today's plan, and Enter starts it."""

from __future__ import annotations

from rich.panel import Panel
from rich.text import Text

from bigmodel_quiz.cli.messages import TODAY
from bigmodel_quiz.cli.options import lang_of

NEW_PER_DAY = 10


def today() -> None:
    """Show reviews due, today's new questions and the next exercise; Enter starts the review (or a practice)."""
    from bigmodel_quiz.bank.loader import load_bank
    from bigmodel_quiz.cli.console import out
    from bigmodel_quiz.exercises.catalog import load_exercise
    from bigmodel_quiz.plan import today_plan
    from bigmodel_quiz.review.session import utc_datetime
    from bigmodel_quiz.store import open_store

    language = lang_of(None)
    labels = TODAY[language]
    console = out()
    bank = load_bank()
    with open_store() as store:
        plan = today_plan(bank, store, now=utc_datetime(), new_per_day=NEW_PER_DAY)
    lines = [Text(labels["due"].format(n=plan.due)),
             Text(labels["new"].format(n=plan.new, limit=plan.new_limit, unseen=plan.unseen))]
    if plan.next_exercise:
        title = load_exercise(plan.next_exercise).text("title", language)
        lines.append(Text(labels["exercise"].format(id=plan.next_exercise, title=title, passed=plan.exercises_passed,
                                                     total=plan.exercises_total)))
    else:
        lines.append(Text(labels["all_passed"]))
    from rich.console import Group

    console.print(Panel(Group(*lines), title=labels["title"], title_align="left"))
    try:
        answer = console.input(labels["start_review" if plan.review_waiting else "start_practice"])
    except EOFError:
        return
    if answer.strip().lower() in {"q", "quit", "exit", ":q"}:
        return
    if plan.review_waiting:
        from bigmodel_quiz.cli.commands.review import review

        review(topic=None, new=NEW_PER_DAY, lang=None)
    else:
        from bigmodel_quiz.cli.commands.start import Mode, start

        start(topic=None, count=10, difficulty=None, qtype=None, lang=None, seed=None, mode=Mode.practice, minutes=None)
    if plan.next_exercise:
        console.print(labels["then"], markup=False)


def register(app) -> None:  # type: ignore[no-untyped-def]
    """Nothing to add: ``quiz`` with no command calls :func:`today` from the app's callback."""
