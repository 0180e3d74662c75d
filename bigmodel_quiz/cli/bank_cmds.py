"""``quiz topics``, ``quiz validate`` and ``quiz export``: the bank and the history."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from bigmodel_quiz.cli.options import JsonOpt, LangOpt, SeedOpt, lang_of
from bigmodel_quiz.errors import ExitCode


def topics(json_: JsonOpt = False, lang: LangOpt = None) -> None:
    """List topics with question and exercise counts and your accuracy."""
    from bigmodel_quiz.bank.loader import load_bank
    from bigmodel_quiz.store import open_store
    from bigmodel_quiz.topics import topic_rows

    language = lang_of(lang)
    bank = load_bank()
    with open_store() as store:
        rows = topic_rows(bank, store)
    if json_:
        from bigmodel_quiz.cli.console import print_json

        print_json([r.as_json(language) for r in rows])
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from bigmodel_quiz.cli.console import out

    zh = language == "zh"
    heads = ("主题", "题目", "编程练习", "已答", "正确率") if zh else (
        "topic", "questions", "exercises", "answered", "accuracy")
    caption = "+N∞：参数化模板，每次生成新的数字" if zh else "+N∞: parametric templates, fresh numbers every time"
    table = Table(title="主题" if zh else "Topics", caption=caption, box=box.SIMPLE_HEAD, pad_edge=False)
    for i, head in enumerate(heads):
        table.add_column(head, justify="right" if i else "left", no_wrap=bool(i))
    for r in rows:
        acc = "-" if r.accuracy is None else f"{r.accuracy:.0%}"
        qs = f"{r.questions}" + (f" +{r.templates}∞" if r.templates else "")
        name = Text(r.topic, style="bold").append(f"\n{r.title.get(language, '')}", style="dim")
        table.add_row(name, qs, str(r.exercises), str(r.answered), acc)
    out().print(table)


def validate(
    paths: Annotated[Optional[list[Path]], typer.Argument(metavar="PATH...", help="Bank files or folders (default: the shipped banks).")] = None,
) -> None:
    """Check banks and exercises: every problem as file:line: field: message; exit 1 if any."""
    from bigmodel_quiz.validate import validate_paths

    report = validate_paths(paths or [])
    for p in report.problems:
        print(p)
    print(report.summary())
    if report.problems:
        raise typer.Exit(int(ExitCode.FAILED))


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
) -> None:
    """Print the bank, parametric questions instantiated with the seed."""
    from bigmodel_quiz.bank.loader import load_bank
    from bigmodel_quiz.export import bank_questions, question_json

    questions = bank_questions(load_bank(), seed if seed is not None else 0)
    if fmt is BankFormat.anki:
        import sys

        from bigmodel_quiz.export import anki_text

        sys.stdout.write(anki_text(questions, lang_of(lang)))
        return
    from bigmodel_quiz.cli.console import print_json

    print_json([question_json(q) for q in questions])


def register(app: typer.Typer) -> None:
    """Add ``topics``, ``validate`` and ``export``."""
    app.command("topics")(topics)
    app.command("validate")(validate)
    app.add_typer(export_app, name="export")
