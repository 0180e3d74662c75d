"""The case-module contract: every exercise exports an ExerciseSpec, and the code that runs
in the submission's process imports nothing of the package beyond the exercises' helpers."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from bigmodel_quiz.exercises import catalog
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

PACKAGE = Path(catalog.__file__).resolve().parent.parent
EXERCISES = PACKAGE / "exercises"
# What trusted code in the child may import from the package: the contract and the helpers beside it.
CHILD_SIDE = {"bigmodel_quiz", "bigmodel_quiz.exercises", "bigmodel_quiz.exercises.spec",
              "bigmodel_quiz.exercises.ranks", "bigmodel_quiz.exercises.torch_models",
              "bigmodel_quiz.exercises.diagnose"}
PARENT_ONLY = {"catalog.py"}  # reads statements, the store: never loaded into the child


def _package_imports(path: Path) -> set[str]:
    """Every ``bigmodel_quiz`` module a file imports, at any depth of its code."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if (PACKAGE.parent / (sub.replace(".", "/") + ".py")).is_file() else node.module)
    return {n for n in found if n.split(".")[0] == "bigmodel_quiz"}


CASE_FILES = sorted(p for p in EXERCISES.glob("*.py") if p.name not in PARENT_ONLY | {"__init__.py"})


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_exercise_modules_import_only_the_child_side_helpers(path: Path) -> None:
    assert _package_imports(path) <= CHILD_SIDE, f"{path.name} imports {_package_imports(path) - CHILD_SIDE}"


@pytest.mark.parametrize("name", ["harness.py", "protocol.py", "zygote.py"])
def test_the_harness_imports_nothing_of_the_package(name: str) -> None:
    assert _package_imports(PACKAGE / "grader" / name) == set()


def test_a_case_module_loads_nothing_else_of_the_package() -> None:
    # As the child does: a fresh interpreter imports the trusted case modules and nothing more.
    code = ("import sys\nimport bigmodel_quiz.exercises.ring_allreduce, bigmodel_quiz.exercises.conv2d\n"
            "print(sorted(m for m in sys.modules if m.startswith('bigmodel_quiz')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent, check=True)
    loaded = set(ast.literal_eval(out.stdout.strip()))
    assert loaded - CHILD_SIDE == {"bigmodel_quiz.exercises.ring_allreduce", "bigmodel_quiz.exercises.conv2d"}
    assert "numpy" not in out.stdout  # nothing heavy at import time either


@pytest.mark.parametrize("exercise_id", catalog.exercise_ids())
def test_every_exercise_exports_a_spec(exercise_id: str) -> None:
    spec = catalog.load_spec(exercise_id)
    assert isinstance(spec, ExerciseSpec) and spec.timeout > 0
    cases = spec.cases(3)
    assert cases and all(isinstance(c, Case) for c in cases)
    assert all(c.check is None or callable(c.check) for c in cases)
    if spec.run is not None:  # a driver in the child: its results are judged by checkers only
        assert all(c.check is not None or c.raises for c in cases), exercise_id
    if spec.world_size is not None:
        assert all(spec.ranks(c) >= 1 for c in cases)


def test_tolerance_is_the_case_s_then_the_exercise_s_then_the_kind_s() -> None:
    spec = ExerciseSpec(cases=lambda seed: [], rtol=1e-3)
    plain, tight = Case("a"), Case("b", rtol=1e-9, atol=0.0)
    assert spec.tolerance(plain, "numpy") == (1e-3, 1e-9)
    assert spec.tolerance(tight, "torch") == (1e-9, 0.0)
    assert ExerciseSpec(cases=lambda seed: []).tolerance(plain, "torch") == (1.3e-6, 1e-5)
