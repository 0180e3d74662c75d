"""``quiz export history|bank``: your answers and grades, or the bank, for other tools."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from bigmodel_quiz.cli.options import LangOpt, SeedOpt, lang_of


class HistoryFormat(str, Enum):
    """Formats of the history export."""

    json = "json"
    csv = "csv"


class BankFormat(str, Enum):
    """Formats of the bank export."""

    json = "json"
    anki = "anki"


export_app = typer.Typer(help="Export your history or the bank for other tools.", no_args_is_help=True)


@export_app.command("history")
def export_history(
    fmt: Annotated[HistoryFormat, typer.Option("--format", help="json or csv.")] = HistoryFormat.json,
) -> None:
    """Print every answer and grade as JSON or CSV."""
    import sys

    from bigmodel_quiz.export import history_csv, history_rows
    from bigmodel_quiz.store import open_store

    with open_store() as store:
        rows = history_rows(store)
    if fmt is HistoryFormat.csv:
        sys.stdout.write(history_csv(rows))
    else:
        from bigmodel_quiz.cli.console import print_json

        print_json(rows)


@export_app.command("bank")
def export_bank(
    fmt: Annotated[BankFormat, typer.Option("--format", help="json or anki (Anki's text import).")] = BankFormat.json,
    seed: SeedOpt = None,
    lang: LangOpt = None,
    instances: Annotated[int, typer.Option("--instances", min=1, help="Instances of each parametric question (seeds S, S+1, …).")] = 1,
) -> None:
    """Print the bank, parametric questions instantiated with the seed."""
    from bigmodel_quiz.bank.loader import load_bank
    from bigmodel_quiz.export import bank_questions, question_json

    questions = bank_questions(load_bank(), seed if seed is not None else 0, instances)
    if fmt is BankFormat.anki:
        import sys

        from bigmodel_quiz.export import anki_text

        sys.stdout.write(anki_text(questions, lang_of(lang)))
        return
    from bigmodel_quiz.cli.console import print_json

    print_json([question_json(q) for q in questions])


def register(app: typer.Typer) -> None:
    """Add ``export``."""
    app.add_typer(export_app, name="export")
