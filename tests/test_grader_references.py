"""Every exercise's reference solution passes all of its own cases, through the real sandbox.

Parametrised over the catalog, so exercises are picked up as they are added.
"""

from __future__ import annotations

import pytest

from bigmodel_quiz.exercises import catalog
from bigmodel_quiz.grader.runner import GradeRequest, grade_submission

EXERCISES = catalog.exercise_ids()


def _params():
    for exercise_id in EXERCISES:
        marks = [pytest.mark.torch] if catalog.load_exercise(exercise_id).kind == "torch" else []
        yield pytest.param(exercise_id, marks=marks, id=exercise_id)


@pytest.mark.parametrize("exercise_id", list(_params()))
def test_reference_passes_its_own_cases(exercise_id):
    exercise = catalog.load_exercise(exercise_id)
    if exercise.kind == "torch":
        pytest.importorskip("torch", reason="PyTorch is not installed")
    reference = catalog.reference_path(exercise_id)
    assert reference.is_file(), f"{reference} is missing"
    for seed in (0, 424242):
        report = grade_submission(GradeRequest(reference, exercise=exercise_id, seed=seed, device="cpu", record=False))
        failures = [f"{c.name}: {c.message}" for c in report.cases if c.status.value != "passed"]
        assert report.status.value == "passed", f"seed {seed}: {report.error or ''} {failures}"
        assert report.total == len(report.cases) > 0
