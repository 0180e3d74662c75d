"""``quiz validate``: schema problems plus the bank-wide quality checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bigmodel_quiz.bank.loader import Problem, load


@dataclass
class ValidationReport:
    """Every problem found, and what was checked."""

    problems: list[Problem] = field(default_factory=list)
    questions: int = 0
    templates: int = 0
    files: int = 0

    def summary(self) -> str:
        """One line: what was checked and how many problems."""
        what = f"{self.files} file(s), {self.questions} question(s), {self.templates} template(s)"
        if not self.problems:
            return f"ok: {what}, no problems"
        return f"{len(self.problems)} problem(s) in {what}"


def validate_paths(paths: list[Path]) -> ValidationReport:
    """Validate the banks at ``paths`` (default: the shipped ones)."""
    from bigmodel_quiz.bank import quality
    from bigmodel_quiz.bank.loader import bank_files
    from bigmodel_quiz.paths import bank_dir

    paths = paths or [bank_dir()]
    cwd = Path.cwd()
    bank, problems = load(paths, base=cwd)
    problems = problems + quality.check(bank)
    return ValidationReport(problems=problems, questions=len(bank.questions),
                            templates=len(bank.templates), files=len(bank_files(paths)))
