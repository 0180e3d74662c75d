"""``quiz stats``: accuracy, practice over days, streak, due cards, weak tags, exercises, mock reports."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from bigmodel_quiz.cli.options import JsonOpt, LangOpt, lang_of


def _known_topics(store) -> list[str]:  # type: ignore[no-untyped-def]
    from bigmodel_quiz.paths import bank_dir

    folder = bank_dir()
    files = {p.stem for p in folder.glob("*.y*ml")} if folder.is_dir() else set()
    return sorted(files | set(store.topic_accuracy()))


def stats(
    json_: JsonOpt = False,
    topic: Annotated[Optional[str], typer.Option("--topic", "-t", help="Only this topic.")] = None,
    session: Annotated[Optional[str], typer.Option("--session", help="Show the report of this mock interview again.")] = None,
    lang: LangOpt = None,
) -> None:
    """Accuracy per topic and tag, practice over days, streak, due cards, weak tags, exercises."""
    from bigmodel_quiz.cli.console import out, print_json
    from bigmodel_quiz.review.session import utc_datetime
    from bigmodel_quiz.store import open_store

    language = lang_of(lang)
    with open_store() as store:
        if session is not None:
            from bigmodel_quiz.mock import load_report

            report = load_report(store, session)
            if json_:
                print_json(report.as_json())
            else:
                from bigmodel_quiz.cli.mock_view import render_mock_report

                render_mock_report(out(), report, language)
            return
        if topic is not None:
            from bigmodel_quiz.session.select import check_choice

            check_choice("topic", topic, _known_topics(store))
        from bigmodel_quiz.bank.index import load_index
        from bigmodel_quiz.stats import compute_stats

        now = utc_datetime()
        # Card keys are question and template ids: the index has them without building every question.
        card_keys = {e.id for e in load_index().entries}
        figures = compute_stats(store, now=now, topic=topic, card_keys=card_keys)
    if json_:
        print_json(figures.as_json())
        return
    from bigmodel_quiz.cli.stats_view import render_stats

    render_stats(out(), figures, language, now)


def register(app: typer.Typer) -> None:
    """Add ``stats``."""
    app.command("stats")(stats)
