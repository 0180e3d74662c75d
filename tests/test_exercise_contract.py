"""The case-module contract: every exercise exports an ExerciseSpec; what runs in the
submission's process lives in ``bigmodel_quiz.exercises.child`` alone, imports nothing else
of the package, and computes no expected value, check or verdict."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bigmodel_quiz.exercises import catalog
from bigmodel_quiz.exercises.spec import CHILD_PACKAGE, Case, ExerciseSpec

PACKAGE = Path(catalog.__file__).resolve().parent.parent
EXERCISES = PACKAGE / "exercises"
CHILD_DIR = EXERCISES / "child"
PACKAGE_INITS = {"bigmodel_quiz", "bigmodel_quiz.exercises", CHILD_PACKAGE}  # empty but for a docstring
# What a parent-side case module may import from the package: the contract, its helpers, the child side.
PARENT_SIDE = {"bigmodel_quiz.exercises.spec", "bigmodel_quiz.exercises.ranks",
               "bigmodel_quiz.exercises.torch_models", "bigmodel_quiz.exercises.diagnose"}
PARENT_ONLY = {"catalog.py"}  # reads statements, the store
# The exercises whose cases need code in the submission's process.
WITH_CHILD = {"cnn-build", "count-parameters", "ddp-average-gradients", "flash-attention", "gpt-block",
              "gradient-accumulation", "kv-cache-decode", "logistic-regression", "overfit-one-batch",
              "ring-allreduce", "sequence-classifier", "swiglu-mlp", "tensor-parallel-mlp"}
THIRD_PARTY = {"numpy", "torch"}


def _is_child(name: str) -> bool:
    return name == CHILD_PACKAGE or name.startswith(CHILD_PACKAGE + ".")


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth of its code (``from a import b``: ``a.b`` when a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0 and node.module, f"{path.name}: a relative import"
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if (PACKAGE.parent / (sub.replace(".", "/") + ".py")).is_file() else node.module)
    return found


def _package_imports(path: Path) -> set[str]:
    return {n for n in _imports(path) if n.split(".")[0] == "bigmodel_quiz"}


CASE_FILES = sorted(p for p in EXERCISES.glob("*.py") if p.name not in PARENT_ONLY | {"__init__.py"})
CHILD_FILES = sorted(CHILD_DIR.glob("*.py"))


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_case_modules_import_only_the_exercises_helpers(path: Path) -> None:
    wrong = {n for n in _package_imports(path) if n not in PARENT_SIDE and not _is_child(n)}
    assert not wrong, f"{path.name} imports {wrong}"


@pytest.mark.parametrize("path", CHILD_FILES, ids=lambda p: p.stem)
def test_a_child_module_imports_only_the_standard_library_numpy_torch_and_the_child_package(path: Path) -> None:
    for name in _imports(path):
        top = name.split(".")[0]
        if top == "bigmodel_quiz":
            assert _is_child(name), f"{path.name} imports {name}: a child module imports only {CHILD_PACKAGE}"
        else:
            assert top in sys.stdlib_module_names or top in THIRD_PARTY, f"{path.name} imports {name}"


@pytest.mark.parametrize("name", ["harness.py", "protocol.py", "zygote.py"])
def test_the_harness_imports_nothing_of_the_package(name: str) -> None:
    assert _package_imports(PACKAGE / "grader" / name) == set()


def test_child_modules_load_nothing_else_of_the_package() -> None:
    # As the child does: a fresh interpreter imports every child module, and nothing parent-side comes with them.
    names = [f"{CHILD_PACKAGE}.{p.stem}" for p in CHILD_FILES if p.stem != "__init__"]
    code = (f"import sys\nimport {', '.join(names)}\n"
            "print(sorted(m for m in sys.modules if m.startswith('bigmodel_quiz')))\n"
            "print('numpy' in sys.modules or 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent, check=True)
    listed, heavy = out.stdout.strip().splitlines()
    assert set(ast.literal_eval(listed)) == set(names) | PACKAGE_INITS
    assert heavy == "False"  # nothing heavy at import time either


def test_a_case_module_loads_nothing_else_of_the_package() -> None:
    code = ("import sys\nimport bigmodel_quiz.exercises.ring_allreduce, bigmodel_quiz.exercises.conv2d\n"
            "print(sorted(m for m in sys.modules if m.startswith('bigmodel_quiz')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent, check=True)
    loaded = set(ast.literal_eval(out.stdout.strip()))
    others = {n for n in loaded - PACKAGE_INITS - PARENT_SIDE if not _is_child(n)}
    assert others == {"bigmodel_quiz.exercises.ring_allreduce", "bigmodel_quiz.exercises.conv2d"}
    assert "numpy" not in out.stdout


def test_exactly_the_exercises_that_drive_their_cases_have_a_child_module() -> None:
    with_child = {i for i in catalog.exercise_ids() if catalog.load_spec(i).child is not None}
    assert with_child == WITH_CHILD
    for exercise_id in WITH_CHILD:
        spec = catalog.load_spec(exercise_id)
        assert spec.child_module is not None and importlib.util.find_spec(spec.child_module) is not None
        assert spec.run is not None or spec.prepare is not None or spec.builders, exercise_id


class _Started(BaseException):
    """Raised in place of starting the child: the grade stops there."""


@pytest.mark.parametrize("exercise_id", sorted(WITH_CHILD))
def test_the_runner_loads_only_the_child_module_into_the_child(exercise_id: str, monkeypatch, tmp_path) -> None:
    from bigmodel_quiz.grader import runner

    seen: dict[str, Any] = {}

    def start(self, sb, raw, entry, kind, trusted):  # type: ignore[no-untyped-def]
        seen["trusted"] = list(trusted)
        raise _Started

    monkeypatch.setattr(runner._Grading, "_start", start)
    monkeypatch.setattr(runner, "resolve_device", lambda device, kind: "cpu")  # no torch needed to see the list
    monkeypatch.setattr(runner, "torch_installed", lambda: True)
    path = catalog.write_starter(exercise_id, tmp_path / "sub.py")
    with pytest.raises(_Started):
        runner.grade_submission(runner.GradeRequest(path, exercise=exercise_id, seed=0, record=False))
    trusted = seen["trusted"]
    spec = catalog.load_spec(exercise_id)
    assert trusted[0] == spec.child_module
    assert all(_is_child(n) for n in trusted), trusted
    case_modules = {catalog.spec_module(i) for i in catalog.exercise_ids()}
    assert not case_modules & set(trusted) and not PARENT_SIDE & set(trusted)
    files = runner.child_side_files(trusted)
    grader = PACKAGE / "grader"
    for f in files:
        assert f.parent == CHILD_DIR or f in {PACKAGE / "__init__.py", EXERCISES / "__init__.py",
                                              grader / "harness.py", grader / "protocol.py", grader / "zygote.py"}, f


def _function_module(fn: Any) -> str:
    fn = getattr(fn, "func", fn)  # functools.partial
    return str(getattr(fn, "__module__", "") or "")


@pytest.mark.parametrize("exercise_id", catalog.exercise_ids())
def test_expected_values_and_checks_are_computed_by_parent_side_code(exercise_id: str) -> None:
    spec = catalog.load_spec(exercise_id)
    parent = [spec.cases, spec.expected, spec.world_size, spec.source_rule]
    parent += [c.check for seed in (0, 3) for c in spec.cases(seed)]
    for fn in parent:
        if fn is not None:
            assert not _is_child(_function_module(fn)), f"{exercise_id}: {fn!r} is defined in a child module"


@pytest.mark.parametrize("path", [p for p in CHILD_FILES if p.stem != "__init__"], ids=lambda p: p.stem)
def test_child_modules_define_no_twin_checker_or_expected_value(path: Path) -> None:
    import importlib

    module = importlib.import_module(f"{CHILD_PACKAGE}.{path.stem}")
    mine = [name for name, value in vars(module).items() if callable(value)
            and getattr(value, "__module__", None) == module.__name__]
    # by name: the parent's twins end in _np, its checkers and expectations say so
    suspicious = [n for n in mine if n.endswith("_np") or any(w in n.lower() for w in
                                                              ("expect", "check", "verdict", "diagnos", "reference", "twin"))]
    assert not suspicious, f"{path.name} defines {suspicious}: expected values and checks belong to the parent"


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


# --------------------------------------------------------------------------------------------
# A submission that goes looking for the grader's reference twins finds nothing to use

ADV_TWINS = Path(__file__).resolve().parent / "grader_cases" / "adv-reach-reference-twins" / "submission.py"


def _load_probe() -> Any:
    spec = importlib.util.spec_from_file_location("_probe_twins", ADV_TWINS)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_the_twin_probe_finds_the_twins_where_they_are_loaded() -> None:
    # In the grader's process (where the case module is loaded) the probe sees the twins:
    # its empty result inside the sandbox is not for want of looking.
    catalog.load_spec("kv-cache-decode")
    found = _load_probe().search()
    assert "function bigmodel_quiz.exercises.kv_cache_decode.step_np" in found
    assert any(k.startswith("module bigmodel_quiz.exercises.kv_cache_decode") for k in found)


def test_a_submission_walking_frames_and_gc_finds_no_twin_and_fails() -> None:
    from bigmodel_quiz.grader.runner import GradeRequest, grade_submission

    report = grade_submission(GradeRequest(ADV_TWINS, exercise="kv-cache-decode", seed=0, record=False))
    assert report.status.value == "failed" and report.passed == 0, [c.message for c in report.cases]
    assert report.stdout is not None
    assert "found: nothing" in report.stdout.text, report.stdout.text[:2000]
    assert "found while running" not in report.stdout.text, report.stdout.text[:2000]
