"""``quiz grade``, ``quiz exercises`` and ``quiz exercise show|init``: the coding exercises."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from bigmodel_quiz.cli.options import JsonOpt, LangOpt, lang_of
from bigmodel_quiz.errors import ExitCode


class Device(str, Enum):
    """Where torch exercises run."""

    cpu = "cpu"
    cuda = "cuda"
    auto = "auto"


def grade(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Your solution file (a .py defining the exercise's function).")],
    exercise: Annotated[Optional[str], typer.Option("--exercise", "-e", help="Exercise id, when the file has no `# exercise: ID` header.")] = None,
    device: Annotated[Device, typer.Option("--device", help="cpu, cuda or auto (CUDA when PyTorch sees a GPU); torch exercises only.")] = Device.auto,
    seed: Annotated[Optional[int], typer.Option("--seed", min=0, help="Seed of the randomized cases (default: a fresh one, printed).")] = None,
    timeout: Annotated[Optional[float], typer.Option("--timeout", min=0.001, help="Seconds your code's process may run (default: the exercise's, 10 s for most).")] = None,
    json_: JsonOpt = False,
    watch: Annotated[bool, typer.Option("--watch", help="Re-grade on every save, with a warm worker (Ctrl-C to stop).")] = False,
    lang: LangOpt = None,
) -> None:
    """Grade a solution against the reference, in a sandboxed process."""
    from bigmodel_quiz.grader.report import GradeStatus
    from bigmodel_quiz.grader.runner import GradeRequest
    from bigmodel_quiz.grader.runner import grade as run_grade

    request = GradeRequest(file=file, exercise=exercise, device=device.value, seed=seed, timeout=timeout)
    if watch:  # [torch/watch] grader/watch.py, cli/watch_view.py
        from bigmodel_quiz.cli.watch_view import run_watch

        raise typer.Exit(run_watch(request, as_json=json_, lang=lang_of(lang)))
    report = run_grade(request)
    if json_:
        from bigmodel_quiz.cli.console import print_json
        from bigmodel_quiz.grader.report import to_json

        print_json(to_json(report))
    else:
        from bigmodel_quiz.cli.console import out
        from bigmodel_quiz.cli.grade_view import render_report

        render_report(out(), report, str(file), lang_of(lang))
    if report.status is not GradeStatus.PASSED:
        raise typer.Exit(int(ExitCode.FAILED))


def exercises(json_: JsonOpt = False, lang: LangOpt = None) -> None:
    """List the coding exercises with your status (not-tried, failed, passed)."""
    from bigmodel_quiz.cli.console import print_notice
    from bigmodel_quiz.exercises.catalog import exercise_rows

    language = lang_of(lang)
    rows, problems = exercise_rows()
    for problem in problems:
        print_notice(f"skipped a broken exercise file: {problem}")
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
    """Add ``grade``, ``exercises`` and the ``exercise`` group."""
    app.command("grade")(grade)
    app.command("exercises")(exercises)
    group = typer.Typer(help="Show an exercise or write its starter file.", no_args_is_help=True, rich_markup_mode=None)
    group.command("show")(show)
    group.command("init")(init)
    app.add_typer(group, name="exercise")
