"""``quiz exercise show|init|next``: one exercise's statement and hints, or its starter file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from bigmodel_quiz.cli.options import LangOpt, lang_of


def show(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="Exercise id (see `quiz exercises`).")],
    hint: Annotated[int, typer.Option("--hint", min=0, help="Reveal hints 1..N.")] = 0,
    lang: LangOpt = None,
) -> None:
    """Show an exercise: statement, signature, edge cases and hints."""
    from bigmodel_quiz.cli.console import out
    from bigmodel_quiz.cli.grade_view import render_exercise
    from bigmodel_quiz.exercises.catalog import load_exercise

    language = lang_of(lang)  # first: an unknown id is reported in it
    render_exercise(out(), load_exercise(exercise_id), language, hint)


def init(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="Exercise id (see `quiz exercises`).")],
    path: Annotated[Optional[Path], typer.Argument(metavar="PATH", help="File to write (default: ./<id_with_underscores>.py).")] = None,
    lang: LangOpt = None,
) -> None:
    """Write a starter file with the `# exercise: ID` header; never overwrites."""
    from bigmodel_quiz.cli.messages import EXERCISES
    from bigmodel_quiz.exercises.catalog import write_starter

    language = lang_of(lang)
    target = write_starter(exercise_id, path)
    print(EXERCISES[language]["wrote"].format(file=target))


def next_exercise(
    path: Annotated[Optional[Path], typer.Argument(metavar="PATH", help="File to write (default: ./<id_with_underscores>.py).")] = None,
    lang: LangOpt = None,
) -> None:
    """Write the starter file of the next exercise not yet passed (by topic, then NumPy before PyTorch)."""
    from bigmodel_quiz.cli.console import out
    from bigmodel_quiz.cli.messages import EXERCISES
    from bigmodel_quiz.exercises.catalog import index, load_exercise, module_name, write_starter
    from bigmodel_quiz.plan import next_exercise as pick
    from bigmodel_quiz.store import open_store

    language = lang_of(lang)
    with open_store() as store:
        statuses = store.exercise_status()
    exercise_id = pick(index(), statuses)
    if exercise_id is None:
        print(EXERCISES[language]["all_passed"])
        return
    exercise = load_exercise(exercise_id)
    existing = Path(f"{module_name(exercise_id)}.py") if path is None else None
    if existing is not None and existing.exists():
        target = existing  # started earlier: carry on with it
    else:
        target = write_starter(exercise_id, path)
    title = exercise.text("title", language)
    out().print(EXERCISES[language]["next"].format(id=exercise_id, title=title, file=target), markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``exercise``."""
    group = typer.Typer(help="Show an exercise or write its starter file.", no_args_is_help=True, rich_markup_mode=None)
    group.command("show")(show)
    group.command("init")(init)
    group.command("next")(next_exercise)
    app.add_typer(group, name="exercise")
