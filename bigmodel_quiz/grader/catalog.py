"""The coding exercises: their statements (YAML), cases (modules) and references.

An exercise ``conv2d`` is ``questions/exercises/conv2d.yaml`` (text, hints, starter),
``bigmodel_quiz/exercises/conv2d.py`` (cases) and ``solutions/conv2d.py`` (reference).
This module also works out which exercise a submission file is.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

from bigmodel_quiz.errors import QuizError, UsageError

KINDS = ("python", "numpy", "torch")
DEFAULT_TIMEOUT = 10.0
_REQUIRED = ("id", "topic", "kind", "entry", "signature", "title", "statement", "edge_cases", "hints", "starter")
_OPTIONAL = ("timeout",)
_HEADER = re.compile(r"^\s*#\s*exercise\s*:\s*([A-Za-z0-9_.-]+)\s*$")
_TOP_KEY = re.compile(r"^(id|entry|kind|timeout)\s*:\s*['\"]?([A-Za-z0-9_.-]+)['\"]?\s*(#.*)?$", re.M)


@dataclass(frozen=True)
class Exercise:
    """One exercise's text, as its YAML file gives it."""

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
    timeout: float | None
    path: Path

    @property
    def module_name(self) -> str:
        """The Python name used by the case module and the reference (``-`` → ``_``)."""
        return module_name(self.id)

    def text(self, field: str, lang: str) -> str:
        """A bilingual field (``title``, ``statement``) in ``lang``, falling back to English."""
        value: dict[str, str] = getattr(self, field)
        return value.get(lang) or value.get("en") or ""


def module_name(exercise_id: str) -> str:
    """``conv2d`` → ``conv2d``, ``mlp-param-count`` → ``mlp_param_count``."""
    return exercise_id.replace("-", "_")


def _text_dir() -> Path:
    from bigmodel_quiz.paths import exercise_text_dir

    return exercise_text_dir()


def exercise_files() -> list[Path]:
    """The exercise statement files, sorted by name."""
    folder = _text_dir()
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def exercise_ids() -> list[str]:
    """Every exercise id (the YAML file names)."""
    return [p.stem for p in exercise_files()]


# ---------------------------------------------------------------------------- loading


def _bilingual(data: dict[str, Any], key: str, problems: list[str], where: Callable[[str], str]) -> dict[str, str]:
    value = data.get(key)
    if not isinstance(value, dict) or not isinstance(value.get("en"), str) or not value.get("en"):
        problems.append(f"{where(key)}: {key}: needs an English text (en:)")
        return {}
    return {k: str(v) for k, v in value.items() if isinstance(v, str)}


def check_exercise_file(path: Path) -> tuple[Exercise | None, list[str]]:
    """Load one statement file strictly: (the exercise or None, ``file:line: field: message`` problems)."""
    from bigmodel_quiz.bank.yamlread import read_yaml

    data, yaml_problems = read_yaml(path)
    problems = [f"{path}:{p.line}: {p.field}: {p.message}" for p in yaml_problems]
    if not isinstance(data, dict):
        return None, problems or [f"{path}:1: file: expected a mapping of exercise fields"]
    line_of = getattr(data, "line_of", lambda key: 1)

    def where(key: str) -> str:
        return f"{path}:{line_of(key)}"

    for key in data:
        if key not in _REQUIRED + _OPTIONAL:
            problems.append(f"{where(key)}: {key}: unknown field")
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
    statement = _bilingual(data, "statement", problems, where)
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
    timeout = data.get("timeout")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0):
        problems.append(f"{where('timeout')}: timeout: must be a positive number of seconds")
        timeout = None
    if problems:
        return None, problems
    return (
        Exercise(
            id=data["id"], topic=data["topic"], kind=data["kind"], entry=data["entry"], signature=data["signature"],
            title=title, statement=statement, edge_cases=edge, hints=tuple(hints), starter=data["starter"],
            timeout=float(timeout) if timeout is not None else None, path=path,
        ),
        [],
    )


def load_exercise(exercise_id: str) -> Exercise:
    """The exercise ``exercise_id``; UsageError when there is none, QuizError when its file is broken."""
    path = _text_dir() / f"{exercise_id}.yaml"
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", exercise_id) or not path.is_file():
        raise UsageError(_unknown(exercise_id))
    exercise, problems = check_exercise_file(path)
    if exercise is None:
        raise QuizError(f"exercise {exercise_id} cannot be loaded: {problems[0]}" + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    return exercise


def load_all() -> tuple[list[Exercise], list[str]]:
    """Every exercise that loads, and the problems of those that do not."""
    exercises, problems = [], []
    for path in exercise_files():
        exercise, found = check_exercise_file(path)
        if exercise is not None:
            exercises.append(exercise)
        problems.extend(found)
    return exercises, problems


def _unknown(exercise_id: str) -> str:
    import difflib

    ids = exercise_ids()
    close = difflib.get_close_matches(exercise_id, ids, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `quiz exercises` lists them"
    return f"unknown exercise {exercise_id!r}{hint}"


def case_module(exercise_id: str) -> ModuleType:
    """The module holding the exercise's cases (``bigmodel_quiz.exercises.<name>``)."""
    name = f"bigmodel_quiz.exercises.{module_name(exercise_id)}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            raise QuizError(f"exercise {exercise_id} has no cases yet ({name} is missing)") from None
        raise


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


# ---------------------------------------------------------------------------- resolution


def header_id(source: str) -> str | None:
    """The id in a ``# exercise: ID`` line among the file's first lines, if any."""
    for line in source.lstrip("\ufeff").splitlines()[:10]:
        match = _HEADER.match(line)
        if match:
            return match.group(1)
    return None


def _top_keys(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    return {m.group(1): m.group(2) for m in _TOP_KEY.finditer(text)}


@dataclass(frozen=True)
class QuickInfo:
    """What starting the submission's process needs, read from the YAML's top-level lines (no YAML parser)."""

    entry: str
    kind: str
    timeout: float | None


def quick_info(exercise_id: str) -> QuickInfo | None:
    """Entry, kind and timeout of an exercise at the cost of a regex; None when they are not plainly there."""
    keys = _top_keys(_text_dir() / f"{exercise_id}.yaml")
    if "entry" not in keys or keys.get("kind") not in KINDS:
        return None
    try:
        timeout = float(keys["timeout"]) if "timeout" in keys else None
    except ValueError:
        return None
    return QuickInfo(keys["entry"], keys["kind"], timeout)


def entry_points() -> dict[str, str]:
    """id → entry-point name of every exercise, read quickly from the top-level YAML keys."""
    out = {}
    for path in exercise_files():
        keys = _top_keys(path)
        if "entry" in keys:
            out[keys.get("id", path.stem)] = keys["entry"]
    return out


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


def resolve(file: Path, source: str, explicit: str | None) -> str:
    """Which exercise ``file`` is: its header, else ``explicit``, else the one whose entry point it defines."""
    from_header = header_id(source)
    if from_header and explicit and from_header != explicit:
        raise UsageError(f"{file} says `# exercise: {from_header}` but --exercise {explicit} was given; drop one of them")
    chosen = from_header or explicit
    if chosen:
        if not (_text_dir() / f"{chosen}.yaml").is_file():
            where = f" (from the header of {file})" if from_header else ""
            raise UsageError(_unknown(chosen) + where)
        return chosen
    try:
        names = defined_names(source)
    except SyntaxError as exc:
        raise UsageError(
            f"cannot tell which exercise {file} is: it has a syntax error (line {exc.lineno}: {exc.msg}) and no"
            " `# exercise: ID` header; add the header or pass --exercise ID"
        ) from None
    entries = entry_points()
    matches = sorted(ex for ex, entry in entries.items() if entry in names)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UsageError(
            f"cannot tell which exercise {file} is: it defines the entry points of {', '.join(matches)};"
            " add a `# exercise: ID` header or pass --exercise ID"
        )
    raise UsageError(
        f"cannot tell which exercise {file} is: it has no `# exercise: ID` header and defines none of the"
        f" entry points ({', '.join(sorted(set(entries.values()))) or 'no exercises found'});"
        " add the header or pass --exercise ID"
    )


def child_imports(module: ModuleType) -> list[str]:
    """A case module and the package modules it imports: trusted code the child loads before the submission."""
    import ast

    package_root = Path(__file__).resolve().parent.parent.parent
    names = [module.__name__]
    source = Path(module.__file__ or "").read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        found: list[str] = []
        if isinstance(node, ast.Import):
            found = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                is_module = (package_root / (sub.replace(".", "/") + ".py")).is_file()
                found.append(sub if is_module else node.module)
        names.extend(n for n in found if n.split(".")[0] == "bigmodel_quiz" and n not in names)
    return names


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
