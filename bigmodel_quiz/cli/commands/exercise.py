"""``quiz exercise show|init``: one exercise's statement and hints, or its starter file."""

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

    render_exercise(out(), load_exercise(exercise_id), lang_of(lang), hint)


def init(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="Exercise id (see `quiz exercises`).")],
    path: Annotated[Optional[Path], typer.Argument(metavar="PATH", help="File to write (default: ./<id_with_underscores>.py).")] = None,
) -> None:
    """Write a starter file with the `# exercise: ID` header; never overwrites."""
    from bigmodel_quiz.exercises.catalog import write_starter

    target = write_starter(exercise_id, path)
    print(f"wrote {target}; edit it, then run: quiz grade {target}")


def register(app: typer.Typer) -> None:
    """Add ``exercise``."""
    group = typer.Typer(help="Show an exercise or write its starter file.", no_args_is_help=True, rich_markup_mode=None)
    group.command("show")(show)
    group.command("init")(init)
    app.add_typer(group, name="exercise")
