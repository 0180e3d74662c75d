"""``quiz grade FILE``: grade a solution against the reference, in a sandboxed process."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from bigmodel_quiz.cli.options import JsonOpt, LangOpt, lang_of
from bigmodel_quiz.errors import ExitCode
from bigmodel_quiz.grader.device import Device


def grade(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Your solution file (a .py defining the exercise's function).")],
    exercise: Annotated[Optional[str], typer.Option("--exercise", "-e", help="Exercise id, when the file has no `# exercise: ID` header.")] = None,
    device: Annotated[Device, typer.Option("--device", help="cpu, cuda or auto (CUDA when PyTorch sees a GPU); torch exercises only.")] = Device.auto,
    seed: Annotated[Optional[int], typer.Option("--seed", min=0, help="Seed of the randomized cases (default: a fresh one, printed).")] = None,
    timeout: Annotated[Optional[float], typer.Option(
        "--timeout", min=0.001, help="Seconds your code's process may run (default: the exercise's, 10 s for most).")] = None,
    json_: JsonOpt = False,
    watch: Annotated[bool, typer.Option("--watch", help="Re-grade on every save, with a warm worker (Ctrl-C to stop).")] = False,
    lang: LangOpt = None,
) -> None:
    """Grade a solution against the reference, in a sandboxed process."""
    from bigmodel_quiz.grader.report import GradeStatus
    from bigmodel_quiz.grader.runner import GradeRequest
    from bigmodel_quiz.grader.runner import grade_submission

    language = lang_of(lang)  # first: errors below are shown in it
    request = GradeRequest(file=file, exercise=exercise, device=device.value, seed=seed, timeout=timeout)
    if watch:  # [torch/watch] grader/watch.py, cli/watch_view.py
        from bigmodel_quiz.cli.watch_view import run_watch

        raise typer.Exit(run_watch(request, as_json=json_, lang=language))
    report = grade_submission(request)
    if device is Device.cuda and report.device != "cuda" and report.error is None:
        from bigmodel_quiz.cli.console import print_notice
        from bigmodel_quiz.cli.messages import GRADE

        print_notice(GRADE[language]["cpu_only"].format(exercise=report.exercise))
    if json_:
        from bigmodel_quiz.cli.console import print_json
        from bigmodel_quiz.grader.report import to_json

        print_json(to_json(report))
    else:
        from bigmodel_quiz.cli.console import out
        from bigmodel_quiz.cli.grade_view import render_grade_report

        render_grade_report(out(), report, str(file), language)
    if report.status is not GradeStatus.PASSED:
        raise typer.Exit(int(ExitCode.FAILED))


def register(app: typer.Typer) -> None:
    """Add ``grade``."""
    app.command("grade")(grade)
