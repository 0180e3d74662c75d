"""``quiz validate``: schema problems plus the bank-wide quality checks, and the exercises beside the banks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bigmodel_quiz.bank.loader import load


@dataclass
class ValidationReport:
    """Every problem found, and what was checked."""

    problems: list[str] = field(default_factory=list)  # each ``file:line: field: message``
    questions: int = 0
    templates: int = 0
    files: int = 0
    exercises: int = 0

    def summary(self) -> str:
        """One line: what was checked and how many problems."""
        parts = []
        if self.files or not self.exercises:
            parts.append(f"{self.files} file(s), {self.questions} question(s), {self.templates} template(s)")
        if self.exercises:
            parts.append(f"{self.exercises} exercise(s)")
        what = ", ".join(parts)
        if not self.problems:
            return f"ok: {what}, no problems"
        return f"{len(self.problems)} problem(s) in {what}"


def validate_paths(paths: list[Path]) -> ValidationReport:
    """Validate the banks at ``paths`` (default: the shipped ones) and the exercises in their ``exercises/`` folders."""
    from bigmodel_quiz.bank import quality
    from bigmodel_quiz.bank.loader import bank_files
    from bigmodel_quiz.paths import bank_dir

    paths = paths or [bank_dir()]
    statements = [p for p in paths if _is_exercise_path(p)]
    banks = [p for p in paths if p not in statements]
    report = ValidationReport()
    if banks:
        bank, problems = load(banks, base=Path.cwd())
        report = ValidationReport(problems=[str(x) for x in problems + quality.check(bank)],
                                  questions=len(bank.questions), templates=len(bank.templates),
                                  files=len(bank_files(banks)))
    files = bank_files(statements + [p / "exercises" for p in banks if (p / "exercises").is_dir()])
    for f in files:
        report.problems.extend(check_exercise(f))
    report.exercises = len(files)
    return report


def _is_exercise_path(path: Path) -> bool:
    # Statements live in an ``exercises/`` folder beside the banks.
    return (path.parent.name if path.is_file() else path.name) == "exercises"


def check_exercise(path: Path) -> list[str]:
    """Problems of one exercise statement file, and of the cases and reference it needs to be graded."""
    from bigmodel_quiz.errors import QuizError
    from bigmodel_quiz.exercises import catalog

    exercise, problems = catalog.check_file(path)
    if exercise is None:
        return problems
    try:
        catalog.load_spec(exercise.id)
    except QuizError as exc:
        return [f"{path}:1: id: {exc.message}"]
    reference = catalog.reference_path(exercise.id)
    if not reference.is_file():
        return [f"{path}:1: id: no reference solution {reference.name}"]
    try:
        defined = catalog.defined_names(reference.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError) as exc:
        return [f"{path}:1: id: the reference solution {reference.name} cannot be read: {exc}"]
    if exercise.entry not in defined:
        return [f"{path}:{exercise.line_of('entry')}: entry: {exercise.entry!r} is not defined by the reference solution {reference.name}"]
    return []
