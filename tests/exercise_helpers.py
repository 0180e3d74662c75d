"""Helpers shared by the exercise tests, tests/test_exercises_*.py and tests/test_torch_*.py (not a test module)."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
import pytest


def torch_or_skip() -> Any:
    """The torch module, or a skip saying it is not installed."""
    return pytest.importorskip("torch", reason="PyTorch is not installed (pip install 'bigmodel-quiz[torch]')")


def spec_of(exercise_id: str) -> Any:
    """The exercise's case module."""
    return importlib.import_module("bigmodel_quiz.exercises." + exercise_id.replace("-", "_"))


def load_entry(path: Path, name: str) -> Any:
    """``name`` from the Python file at ``path``."""
    spec = importlib.util.spec_from_file_location(f"_t_{path.parent.name}_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return getattr(module, name)


def reference(exercise_id: str, entry: str | None = None) -> Any:
    """The reference solution's ``entry`` (default: the exercise's entry point), loaded afresh."""
    from bigmodel_quiz.exercises.catalog import load_exercise, reference_path

    return load_entry(reference_path(exercise_id), entry or load_exercise(exercise_id).entry)


def valid_cases(exercise_id: str, seed: int = 11) -> list[Any]:
    """The exercise's cases for ``seed`` that do not expect a ValueError."""
    return [c for c in spec_of(exercise_id).SPEC.cases(seed) if not c.raises]


def same_input(a: Any, b: Any) -> bool:
    """Equal values of the same type (arrays: same dtype, NaN equal to NaN; lists: element by element)."""
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same_input(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def same_kwargs(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """The same keyword arguments, each ``same_input``."""
    return a.keys() == b.keys() and all(same_input(a[k], b[k]) for k in a)
