"""``quiz validate``: schema problems plus the bank-wide quality checks, and the exercises beside the banks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bigmodel_quiz.bank.loader import load


@dataclass
class ValidationReport:
    """Every problem found, and what was checked."""

    problems: list[str] = field(default_factory=list)  # each ``file:line: field: message``
    warnings: list[str] = field(default_factory=list)  # the same form; shown, but not failing
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
            warned = f"; {len(self.warnings)} warning(s)" if self.warnings else ""
            return f"ok: {what}, no problems{warned}"
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
        report.warnings += _bank_emphasis(bank)
    files = bank_files(statements + [p / "exercises" for p in banks if (p / "exercises").is_dir()])
    for f in files:
        report.problems.extend(check_exercise(f))
        report.warnings.extend(_exercise_emphasis(f))
    report.exercises = len(files)
    return report


_EMPHASIS_MESSAGE = ("{span!r}: punctuation inside the emphasis keeps it from parsing next to Chinese text in "
                     "other Markdown renderers (the terminal fixes it); move it outside: {fixed!r}")


def _emphasis_warnings(where: str, name: str, text: str) -> list[str]:
    if "**" not in text and "__" not in text:  # the common case, kept cheap for large banks
        return []
    from bigmodel_quiz.bank.prose import emphasis_next_to_punctuation, fix_emphasis

    return [f"{where}: {name}: warning: " + _EMPHASIS_MESSAGE.format(span=span, fixed=fix_emphasis(span + "x")[:-1])
            for span in emphasis_next_to_punctuation(text)]


def _bank_emphasis(bank) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for q in [*bank.questions, *bank.templates]:
        choices = getattr(q, "choices", ())
        fields = [("prompt", q.prompt), ("explanation", q.explanation), ("model_answer", getattr(q, "model_answer", None))]
        fields += [(f"choices[{i}]", c) for i, c in enumerate(choices)]
        for name, value in fields:
            for lang, text in (value or {}).items():
                if "**" in text or "__" in text:
                    out += _emphasis_warnings(q.source, f"{q.id}.{name}.{lang}", text)
    return out


def _exercise_emphasis(path: Path) -> list[str]:
    from bigmodel_quiz.exercises import catalog

    exercise, _ = catalog.check_file(path)
    if exercise is None:
        return []
    out = []
    fields = {"title": exercise.title, "statement": exercise.statement}
    fields.update({f"hints[{i}]": h for i, h in enumerate(exercise.hints)})
    fields.update({"edge_cases": {lang: "\n".join(items) for lang, items in exercise.edge_cases.items()}})
    for name, value in fields.items():
        for lang, text in value.items():
            out += _emphasis_warnings(f"{path}:{exercise.line_of(name.split('[')[0])}", f"{name}.{lang}", text)
    return out


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
