"""The contract of a case module: its :class:`ExerciseSpec`, made of :class:`Case` values.

Each exercise has a module in this package (``bigmodel_quiz/exercises/<id with _>.py``)
that exports ``SPEC = ExerciseSpec(...)``: how to build its cases and how they are
judged. What the exercise *is* (id, topic, kind, entry point, signature, text) lives in
its statement, ``questions/exercises/<id>.yaml``; its reference solution in
``solutions/<id with _>.py``. docs/adding-an-exercise.md walks through all three.

This module imports nothing heavy and nothing outside this package. It is parent side:
what runs in the submission's process lives in ``bigmodel_quiz.exercises.child``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

CHILD_PACKAGE = "bigmodel_quiz.exercises.child"  # where the child-side modules live
DEFAULT_TIMEOUT = 10.0  # seconds for one run of the submission's process (all its cases)

Checker = Callable[["Case", Any, Any], "str | None"]
"""``check(case, got, expected) -> None`` when the result is right, else the message to show."""


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
    check: Checker | None = None  # a property checker instead of comparing with the reference
    note: str = ""  # what the case is about, shown with a failure


@dataclass(frozen=True)
class ExerciseSpec:
    """How one exercise is graded. Every case module exports one as ``SPEC``.

    Runs in the grader's process: ``cases``, ``expected``, ``world_size``, ``source_rule``
    and the checkers named by cases. Runs in the submission's process, loaded before the
    submission: the module named by ``child`` (``bigmodel_quiz.exercises.child.<child>``),
    whose ``prepare``, ``run`` and ``BUILDERS`` are read through the properties below. The
    harness imports that module alone (with what it imports from the child package), never
    this spec's case module, so nothing that computes an expected value or a verdict is
    within the submission's reach.
    """

    cases: Callable[[int], list[Case]]  # seed → the cases; deterministic ones ignore the seed
    timeout: float = DEFAULT_TIMEOUT  # --timeout overrides it
    rtol: float | None = None  # None: default_tolerance(kind)
    atol: float | None = None
    result_names: tuple[str, ...] | None = None  # names for a tuple result's parts in messages
    # The expected value of a case, computed here instead of by running the reference.
    expected: Callable[[Case], Any] | None = None
    # How many ranks run a case together (a gloo group, one process each); None: 1.
    world_size: Callable[[Case], int] | None = None
    # Child side: the module of ``bigmodel_quiz.exercises.child`` holding what runs in the
    # submission's process (``prepare``, ``run``, ``BUILDERS``); None: the entry is called as is.
    child: str | None = None
    # Parent side: a rule read from the submission's source, out of its process's reach
    # (source → a message, or None); a case that passed fails with the message.
    source_rule: Callable[[str], str | None] | None = None

    @property
    def runs_in_child(self) -> bool:
        """Whether code of this package must be loaded into the submission's process."""
        return self.child is not None

    @property
    def child_module(self) -> str | None:
        """The dotted name of the child module the harness imports, or None."""
        return f"{CHILD_PACKAGE}.{self.child}" if self.child is not None else None

    @property
    def prepare(self) -> Callable[[str], None] | None:
        """Child side: ``prepare(device)``, called before the submission is imported."""
        return getattr(self._child(), "prepare", None)

    @property
    def run(self) -> Callable[[Any, dict[str, Any], str], Any] | None:
        """Child side: ``run(entry, kwargs, device)`` → the value sent back (default ``entry(**kwargs)``).

        An exercise with a driver is judged by its checkers only (no reference run)."""
        return getattr(self._child(), "run", None)

    @property
    def builders(self) -> Mapping[str, Callable[..., Any]]:
        """Child side: constructors a case's ``$call`` input may name."""
        return dict(getattr(self._child(), "BUILDERS", {}))

    def _child(self) -> Any:
        """The child module (imported here, in the parent, only to read what it exports)."""
        if self.child_module is None:
            return None
        import importlib

        return importlib.import_module(self.child_module)

    def ranks(self, case: Case) -> int:
        """Processes that run ``case`` together."""
        return int(self.world_size(case)) if self.world_size is not None else 1

    def tolerance(self, case: Case, kind: str) -> tuple[float, float]:
        """(rtol, atol) for ``case``: the case's, else the exercise's, else the kind's default."""
        rtol, atol = default_tolerance(kind)
        rtol = (self.rtol if self.rtol is not None else rtol) if case.rtol is None else case.rtol
        atol = (self.atol if self.atol is not None else atol) if case.atol is None else case.atol
        return rtol, atol


def default_tolerance(kind: str) -> tuple[float, float]:
    """(rtol, atol) used when an exercise sets none: tight for float64 NumPy code."""
    if kind == "torch":
        return 1.3e-6, 1e-5  # torch.testing's float32 defaults
    return 1e-7, 1e-9  # torch.testing's float64 defaults
