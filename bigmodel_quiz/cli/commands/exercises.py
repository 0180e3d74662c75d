"""``quiz exercises``: the coding exercises with your status for each."""

from __future__ import annotations

import typer

from bigmodel_quiz.cli.options import JsonOpt, LangOpt, lang_of


def exercises(json_: JsonOpt = False, lang: LangOpt = None) -> None:
    """List the coding exercises with your status (not-tried, failed, passed)."""
    from bigmodel_quiz.cli.console import print_notice
    from bigmodel_quiz.cli.messages import EXERCISES
    from bigmodel_quiz.exercises.catalog import exercise_rows

    language = lang_of(lang)
    rows, problems = exercise_rows()
    for problem in problems:
        print_notice(EXERCISES[language]["broken"].format(problem=problem))
    table = [
        {"id": r.exercise.id, "topic": r.exercise.topic, "kind": r.exercise.kind,
         "title": r.exercise.text("title", language), "status": r.status}
        for r in rows
    ]
    if json_:
        from bigmodel_quiz.cli.console import print_json

        print_json(table)
        return
    from bigmodel_quiz.cli.console import out
    from bigmodel_quiz.cli.grade_view import render_exercise_list

    render_exercise_list(out(), table, language)


def register(app: typer.Typer) -> None:
    """Add ``exercises``."""
    app.command("exercises")(exercises)
