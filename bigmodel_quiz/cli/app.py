"""The ``quiz`` Typer app: global options, command registration, the one error handler."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from bigmodel_quiz.cli.options import set_global_lang
from bigmodel_quiz.errors import ExitCode, QuizError
from bigmodel_quiz.lang import Lang


class _QuizGroup(TyperGroup):
    """Catches the tool's error family once: one line on stderr, a named exit code."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except QuizError as exc:
            from bigmodel_quiz.cli.console import print_error

            print_error(exc.message)
            raise typer.Exit(int(exc.exit_code)) from None


app = typer.Typer(
    name="quiz",
    cls=_QuizGroup,
    help="Interview practice for large-model engineering: quizzes, reviews and graded coding exercises.",
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
)


def _print_version(value: bool) -> None:
    if value:
        from bigmodel_quiz import __version__

        print(f"bigmodel-quiz {__version__}")
        raise typer.Exit(0)


@app.callback(invoke_without_command=True)
def _global(
    ctx: typer.Context,
    data_dir: Annotated[
        Optional[Path],
        typer.Option("--data-dir", help="Where the progress store lives (default: QUIZ_HOME or the platform's user data dir)."),
    ] = None,
    lang: Annotated[
        Optional[Lang],
        typer.Option("--lang", help="Default language of every command (default: QUIZ_LANG or the locale)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", is_eager=True, callback=_print_version, help="Print the version and exit.")
    ] = False,
) -> None:
    """Interview practice for large-model engineering: quizzes, reviews and graded coding exercises."""
    if data_dir is not None:
        os.environ["QUIZ_HOME"] = str(data_dir)
    set_global_lang(lang)  # the default of this invocation; a command's own --lang still wins
    from bigmodel_quiz import notices
    from bigmodel_quiz.cli.console import print_notice

    notices.set_handler(print_notice)
    if ctx.invoked_subcommand is None:
        import sys

        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            print(ctx.get_help())  # scripts and pipes get the usage, as before
            raise typer.Exit(0)
        from bigmodel_quiz.cli.commands.today import today

        today()


def _register() -> None:
    from bigmodel_quiz.cli.commands import exercise, exercises, export, grade, review, start, stats, topics, validate

    for command in (start, review, stats, topics, validate, export, grade, exercises, exercise):
        command.register(app)


_register()


def run() -> None:
    """Run the app as the ``quiz`` program."""
    try:
        app(prog_name="quiz")
    except KeyboardInterrupt:
        raise SystemExit(int(ExitCode.INTERRUPTED)) from None
