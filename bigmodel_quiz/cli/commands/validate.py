"""``quiz validate``: check banks and exercises."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from bigmodel_quiz.errors import ExitCode


def validate(
    paths: Annotated[Optional[list[Path]], typer.Argument(metavar="PATH...", help="Bank files or folders (default: the shipped banks).")] = None,
) -> None:
    """Check banks and exercises: every problem as file:line: field: message; exit 1 if any."""
    from bigmodel_quiz.errors import UsageError
    from bigmodel_quiz.validate import validate_paths

    for path in paths or []:
        if not path.exists():
            raise UsageError(f"no such file or folder: {path}")
    report = validate_paths(paths or [])
    for p in report.problems:
        print(p)
    for w in report.warnings:  # on stderr: stdout stays the problems and the summary
        print(w, file=sys.stderr)
    print(report.summary())
    if report.problems:
        raise typer.Exit(int(ExitCode.FAILED))


def register(app: typer.Typer) -> None:
    """Add ``validate``."""
    app.command("validate")(validate)
