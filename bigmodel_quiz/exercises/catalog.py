"""The exercises' three files, and the only reader of their statements.

An exercise ``conv2d`` is ``questions/exercises/conv2d.yaml`` (its statement: id, topic,
kind, entry point, signature, text, hints, starter), ``bigmodel_quiz/exercises/conv2d.py``
(its :class:`~bigmodel_quiz.exercises.spec.ExerciseSpec`: cases and how they are judged)
and ``solutions/conv2d.py`` (the reference). Each fact is written in one of them only.

Statements are read through :class:`Statement`, which opens its file once: the fields a
grade needs to start the submission's process come from the top-level lines (no YAML
parser), the full statement from parsing the same text. :func:`index` lists every
exercise that way for ``quiz topics``, mock study plans, ``quiz stats`` and telling which
exercise a file is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bigmodel_quiz.errors import QuizError, UsageError

if TYPE_CHECKING:
    from bigmodel_quiz.exercises.spec import ExerciseSpec

KINDS = ("python", "numpy", "torch")
_REQUIRED = ("id", "topic", "kind", "entry", "signature", "title", "statement", "edge_cases", "hints", "starter")
_HEADER = re.compile(r"^\s*#\s*exercise\s*:\s*([A-Za-z0-9_.-]+)\s*$")
_TOP_KEY = re.compile(r"^(id|topic|entry|kind)\s*:\s*['\"]?([A-Za-z0-9_.-]+)['\"]?\s*(#.*)?$", re.M)
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_HEAD_BYTES = 1024  # id, topic, kind and entry open every statement file

# The exercise topic tags are public API (EXERCISES.md); where one names a bank topic
# differently, questions and exercises are still counted and planned together.
EXERCISE_TOPIC_IN_BANK = {"inference": "inference-deployment"}


def bank_topic(exercise_topic: str) -> str:
    """The bank topic an exercise's topic tag belongs to."""
    return EXERCISE_TOPIC_IN_BANK.get(exercise_topic, exercise_topic)


def module_name(exercise_id: str) -> str:
    """``conv2d`` → ``conv2d``, ``mlp-param-count`` → ``mlp_param_count`` (case module and reference)."""
    return exercise_id.replace("-", "_")


@dataclass(frozen=True)
class ExerciseInfo:
    """What listing and starting an exercise needs: its top-level statement fields."""

    id: str
    topic: str  # the exercise's topic tag (EXERCISES.md)
    kind: str  # python | numpy | torch
    entry: str  # the function or class a submission defines

    @property
    def bank_topic(self) -> str:
        """The bank topic the exercise is counted and planned under."""
        return bank_topic(self.topic)


@dataclass(frozen=True)
class Exercise:
    """One exercise's statement, as its YAML file gives it."""

    id: str
    topic: str
    kind: str
    entry: str
    signature: str
    title: dict[str, str]
    statement: dict[str, str]
    edge_cases: dict[str, tuple[str, ...]]
    hints: tuple[dict[str, str], ...]
    starter: str
    path: Path
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)  # field → line

    @property
    def module_name(self) -> str:
        """The Python name of the case module and the reference (``-`` → ``_``)."""
        return module_name(self.id)

    @property
    def info(self) -> ExerciseInfo:
        """The top-level fields."""
        return ExerciseInfo(self.id, self.topic, self.kind, self.entry)

    def line_of(self, field_name: str) -> int:
        """The line where ``field_name`` stands in the statement file (1 when unknown)."""
        return self.lines.get(field_name, 1)

    def text(self, field_name: str, lang: str) -> str:
        """A bilingual field (``title``, ``statement``) in ``lang``, falling back to English."""
        value: dict[str, str] = getattr(self, field_name)
        return value.get(lang) or value.get("en") or ""


# ---------------------------------------------------------------------------- the files


def statement_dir() -> Path:
    """The folder of the statement files."""
    from bigmodel_quiz.paths import exercise_text_dir

    return exercise_text_dir()


def statement_files() -> list[Path]:
    """The statement files, sorted by name."""
    folder = statement_dir()
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def exercise_ids() -> list[str]:
    """Every exercise id (the statement file names)."""
    return [p.stem for p in statement_files()]


def reference_path(exercise_id: str) -> Path:
    """The reference solution's file."""
    from bigmodel_quiz.paths import solutions_dir

    return solutions_dir() / f"{module_name(exercise_id)}.py"


def solution_dirs() -> tuple[Path, ...]:
    """Every folder that may hold reference solutions (hidden from submissions)."""
    from bigmodel_quiz.paths import solutions_dir

    package = Path(__file__).resolve().parent.parent
    found = {solutions_dir().resolve(), (package / "data" / "solutions").resolve(), (package.parent / "solutions").resolve()}
    return tuple(sorted(p for p in found if p.is_dir()))


def spec_module(exercise_id: str) -> str:
    """The import name of the exercise's case module."""
    return f"bigmodel_quiz.exercises.{module_name(exercise_id)}"


def load_spec(exercise_id: str) -> ExerciseSpec:
    """The exercise's :class:`ExerciseSpec` (the ``SPEC`` of its case module); QuizError when it has none."""
    import importlib

    from bigmodel_quiz.exercises.spec import ExerciseSpec

    name = spec_module(exercise_id)
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            raise QuizError(f"exercise {exercise_id} has no cases yet ({name} is missing)") from None
        raise
    spec = getattr(module, "SPEC", None)
    if not isinstance(spec, ExerciseSpec):
        raise QuizError(f"exercise {exercise_id}: {name} defines no SPEC = ExerciseSpec(...)")
    return spec


# ---------------------------------------------------------------------------- one statement


class Statement:
    """One statement file, read at most once however many times it is asked."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.id = path.stem
        self._text: str | None = None
        self._read_error: str | None = None
        self._checked: tuple[Exercise | None, list[str]] | None = None

    def text(self) -> str | None:
        """The file's text (None, with the reason kept, when it cannot be read)."""
        if self._text is None and self._read_error is None:
            try:
                self._text = self.path.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                self._read_error = f"not UTF-8 text ({exc.reason})"
            except OSError as exc:
                self._read_error = f"cannot read: {exc.strerror or exc}"
        return self._text

    def info(self, *, head_only: bool = False) -> ExerciseInfo:
        """The top-level fields, from their lines when they are plainly there, else from a full parse.

        ``head_only`` reads just the file's first lines (listing every exercise); a grade reads
        the whole file once, since it parses the statement next.
        """
        keys = {m.group(1): m.group(2) for m in _TOP_KEY.finditer(self._head() if head_only else self.text() or "")}
        if keys.get("id", self.id) == self.id and {"topic", "entry"} <= set(keys) and keys.get("kind") in KINDS:
            return ExerciseInfo(self.id, keys["topic"], keys["kind"], keys["entry"])
        return self.load().info

    def _head(self) -> str:
        if self._text is not None:
            return self._text
        try:
            with open(self.path, "rb") as f:
                return f.read(_HEAD_BYTES).decode("utf-8", errors="replace")
        except OSError:
            return ""

    def check(self) -> tuple[Exercise | None, list[str]]:
        """Parse strictly: (the exercise or None, ``file:line: field: message`` problems)."""
        if self._checked is None:
            text = self.text()
            if text is None:
                self._checked = (None, [f"{self.path}:1: file: {self._read_error}"])
            else:
                self._checked = _parse(self.path, text)
        return self._checked

    def load(self) -> Exercise:
        """The exercise; QuizError when its file is broken."""
        exercise, problems = self.check()
        if exercise is None:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise QuizError(f"exercise {self.id} cannot be loaded: {problems[0]}{more}")
        return exercise


def statement(exercise_id: str) -> Statement:
    """The statement of ``exercise_id`` (not read yet); UsageError when there is none."""
    path = statement_dir() / f"{exercise_id}.yaml"
    if not _ID.fullmatch(exercise_id) or not path.is_file():
        raise UsageError(_unknown(exercise_id))
    return Statement(path)


def load_exercise(exercise_id: str) -> Exercise:
    """The exercise ``exercise_id``; UsageError when there is none, QuizError when its file is broken."""
    return statement(exercise_id).load()


def check_file(path: Path) -> tuple[Exercise | None, list[str]]:
    """Load one statement file strictly: (the exercise or None, its problems)."""
    return Statement(path).check()


def load_all() -> tuple[list[Exercise], list[str]]:
    """Every exercise that loads, and the problems of those that do not."""
    exercises, problems = [], []
    for path in statement_files():
        exercise, found = check_file(path)
        if exercise is not None:
            exercises.append(exercise)
        problems.extend(found)
    return exercises, problems


def index() -> list[ExerciseInfo]:
    """Every exercise's top-level fields, cheaply (files that do not load are left out)."""
    out = []
    for path in statement_files():
        try:
            out.append(Statement(path).info(head_only=True))
        except QuizError:
            continue
    return out


def _bilingual(data: dict[str, Any], key: str, problems: list[str], where: Any) -> dict[str, str]:
    value = data.get(key)
    if not isinstance(value, dict) or not isinstance(value.get("en"), str) or not value.get("en"):
        problems.append(f"{where(key)}: {key}: needs an English text (en:)")
        return {}
    return {k: str(v) for k, v in value.items() if isinstance(v, str)}


def _parse(path: Path, text: str) -> tuple[Exercise | None, list[str]]:
    from bigmodel_quiz.bank.yamlread import parse_yaml

    data, yaml_problems = parse_yaml(text)
    problems = [f"{path}:{p.line}: {p.field}: {p.message}" for p in yaml_problems]
    if not isinstance(data, dict):
        return None, problems or [f"{path}:1: file: expected a mapping of exercise fields"]
    lines: dict[str, int] = dict(getattr(data, "key_lines", {}))

    def where(key: str) -> str:
        return f"{path}:{lines.get(key, 1)}"

    for key in data:
        if key not in _REQUIRED:
            hint = " (a grading timeout belongs in the case module's ExerciseSpec)" if key == "timeout" else ""
            problems.append(f"{where(key)}: {key}: unknown field{hint}")
    for key in _REQUIRED:
        if key not in data:
            problems.append(f"{path}:1: {key}: missing")
    for key in ("id", "topic", "entry", "signature", "starter"):
        if key in data and (not isinstance(data[key], str) or not data[key].strip()):
            problems.append(f"{where(key)}: {key}: must be a non-empty string")
    if data.get("id") not in (None, path.stem):
        problems.append(f"{where('id')}: id: {data.get('id')!r} does not match the file name {path.stem!r}")
    if "kind" in data and data["kind"] not in KINDS:
        problems.append(f"{where('kind')}: kind: must be one of {', '.join(KINDS)}")
    title = _bilingual(data, "title", problems, where)
    statement_text = _bilingual(data, "statement", problems, where)
    edge_raw = data.get("edge_cases")
    edge: dict[str, tuple[str, ...]] = {}
    if isinstance(edge_raw, dict) and all(isinstance(v, list) for v in edge_raw.values()):
        edge = {str(k): tuple(str(x) for x in v) for k, v in edge_raw.items()}
    elif "edge_cases" in data:
        problems.append(f"{where('edge_cases')}: edge_cases: expected {{en: [...], zh: [...]}}")
    hints_raw = data.get("hints")
    hints: list[dict[str, str]] = []
    if isinstance(hints_raw, list) and len(hints_raw) >= 2 and all(isinstance(h, dict) and h.get("en") for h in hints_raw):
        hints = [{str(k): str(v) for k, v in h.items()} for h in hints_raw]
    elif "hints" in data:
        problems.append(f"{where('hints')}: hints: at least 2, each with an English text")
    if problems:
        return None, problems
    return (
        Exercise(
            id=data["id"], topic=data["topic"], kind=data["kind"], entry=data["entry"], signature=data["signature"],
            title=title, statement=statement_text, edge_cases=edge, hints=tuple(hints), starter=data["starter"],
            path=path, lines=lines,
        ),
        [],
    )


def _unknown(exercise_id: str) -> str:
    import difflib

    close = difflib.get_close_matches(exercise_id, exercise_ids(), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `quiz exercises` lists them"
    return f"unknown exercise {exercise_id!r}{hint}"


# ---------------------------------------------------------------------------- which exercise a file is


def header_id(source: str) -> str | None:
    """The id in a ``# exercise: ID`` line among the file's first lines, if any."""
    for line in source.lstrip("\ufeff").splitlines()[:10]:
        match = _HEADER.match(line)
        if match:
            return match.group(1)
    return None


def defined_names(source: str) -> set[str]:
    """Names a module defines at top level (functions, classes, assignments, imports), without running it."""
    import ast

    tree = ast.parse(source)
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def resolve(file: Path, source: str, explicit: str | None) -> Statement:
    """Which exercise ``file`` is: its header, else ``explicit``, else the one whose entry point it defines.

    Only with neither a header nor ``explicit`` are all statements read.
    """
    from_header = header_id(source)
    if from_header and explicit and from_header != explicit:
        raise UsageError(f"{file} says `# exercise: {from_header}` but --exercise {explicit} was given; drop one of them")
    chosen = from_header or explicit
    if chosen:
        try:
            return statement(chosen)
        except UsageError as exc:
            where = f" (from the header of {file})" if from_header else ""
            raise UsageError(exc.message + where) from None
    try:
        names = defined_names(source)
    except SyntaxError as exc:
        raise UsageError(
            f"cannot tell which exercise {file} is: it has a syntax error (line {exc.lineno}: {exc.msg}) and no"
            " `# exercise: ID` header; add the header or pass --exercise ID"
        ) from None
    statements = [Statement(p) for p in statement_files()]
    entries: dict[str, Statement] = {}
    for st in statements:
        try:
            entries.setdefault(st.info().entry, st)  # read whole: the chosen one is parsed next
        except QuizError:
            continue
    matches = sorted((st for entry, st in entries.items() if entry in names), key=lambda st: st.id)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UsageError(
            f"cannot tell which exercise {file} is: it defines the entry points of {', '.join(st.id for st in matches)};"
            " add a `# exercise: ID` header or pass --exercise ID"
        )
    raise UsageError(
        f"cannot tell which exercise {file} is: it has no `# exercise: ID` header and defines none of the"
        f" entry points ({', '.join(sorted(entries)) or 'no exercises found'});"
        " add the header or pass --exercise ID"
    )


# ---------------------------------------------------------------------------- starters


def starter_text(exercise: Exercise) -> str:
    """The file ``quiz exercise init`` writes: the header, then the starter."""
    return f"# exercise: {exercise.id}\n# Grade it with: quiz grade <this file>\n\n{exercise.starter.rstrip()}\n"


def write_starter(exercise_id: str, path: Path | None) -> Path:
    """Write the starter file (default ``./<id_with_underscores>.py``); never overwrites."""
    exercise = load_exercise(exercise_id)
    default_name = f"{exercise.module_name}.py"
    target = Path(default_name) if path is None else (path / default_name if path.is_dir() else path)
    if target.exists() or target.is_symlink():
        raise QuizError(f"{target} already exists; not overwriting it (pass another PATH)")
    if not target.parent.is_dir():
        raise UsageError(f"no such folder: {target.parent}")
    try:
        with open(target, "x", encoding="utf-8") as f:
            f.write(starter_text(exercise))
    except FileExistsError:
        raise QuizError(f"{target} already exists; not overwriting it (pass another PATH)") from None
    except OSError as exc:
        raise QuizError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


# ---------------------------------------------------------------------------- the user's view


@dataclass(frozen=True)
class ExerciseRow:
    """An exercise with the user's status: ``not-tried``, ``failed`` or ``passed``."""

    exercise: Exercise
    status: str


def exercise_rows() -> tuple[list[ExerciseRow], list[str]]:
    """Every exercise with the user's status from the progress store, and the files that did not load."""
    from bigmodel_quiz.store.db import open_store

    exercises, problems = load_all()
    with open_store() as store:
        statuses = store.exercise_status()
    return [ExerciseRow(ex, statuses.get(ex.id, "not-tried")) for ex in exercises], problems
