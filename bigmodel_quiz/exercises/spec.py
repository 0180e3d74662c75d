"""The shape of an exercise definition: its cases and how they are checked.

Each exercise is a module in this package (``bigmodel_quiz/exercises/<id with _>.py``)
that defines ``ID``, ``ENTRY`` (the function or class name the submission defines),
``KIND`` (``python`` | ``numpy`` | ``torch``), optional ``RTOL``/``ATOL``/``TIMEOUT``, and
``cases(seed) -> list[Case]``. Its statement, hints and starter live in
``questions/exercises/<id>.yaml``; its reference solution in ``solutions/<id with _>.py``.

This module imports nothing heavy: the grader's child side may import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    """One call of the submission's entry point, and how its result is judged."""

    name: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    kind: str = "deterministic"  # deterministic | edge | random
    seed: int | None = None  # printed with a failure so it can be reproduced
    raises: str | None = None  # "ValueError" when the statement requires one
    mutable: tuple[str, ...] = ()  # arguments the function may modify in place
    rtol: float | None = None  # overrides the exercise's tolerance for this case
    atol: float | None = None
    check: str | None = None  # name of a property checker in the exercise module
    note: str = ""  # what the case is about, shown with a failure


def default_tolerance(kind: str) -> tuple[float, float]:
    """(rtol, atol) used when an exercise sets none: tight for float64 NumPy code."""
    if kind == "torch":
        return 1.3e-6, 1e-5  # torch.testing's float32 defaults
    return 1e-7, 1e-9  # torch.testing's float64 defaults
