"""Cases for `confusion-matrix`: integer counts, rows = true class, columns = predicted."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _case(name, y_true, y_pred, k, kind="deterministic", note="", **extra) -> Case:
    import numpy as np

    kwargs = {"y_true": np.asarray(y_true, dtype=np.int64), "y_pred": np.asarray(y_pred, dtype=np.int64), "num_classes": k}
    return Case(name, kwargs, kind=kind, note=note, **extra)


def cases(seed: int) -> list[Case]:
    """An asymmetric matrix, unseen classes, one class, empty input, out-of-range labels, random."""
    import numpy as np

    out = [
        _case(
            "asymmetric-3-classes",
            [0, 0, 0, 1, 1, 2, 2, 2, 2],
            [0, 1, 1, 1, 1, 2, 0, 2, 2],
            3,
            note="true 0 predicted as 1 twice: row 0, column 1 (rows = true class)",
        ),
        _case("all-correct", [0, 1, 2, 3, 1], [0, 1, 2, 3, 1], 4, kind="edge", note="a diagonal matrix"),
        _case(
            "class-never-seen", [0, 1, 0, 1], [1, 1, 0, 0], 4, kind="edge",
            note="classes 2 and 3: rows and columns of 0",
        ),
        _case("one-class", [0, 0, 0], [0, 0, 0], 1, kind="edge"),
        _case("empty-input", [], [], 3, kind="edge", note="no samples: a 3x3 matrix of zeros"),
        _case(
            "true-label-too-large-raises", [0, 3], [0, 1], 3, kind="edge", raises="ValueError",
            note="label 3 with num_classes=3",
        ),
        _case("pred-label-too-large-raises", [0, 1], [0, 5], 3, kind="edge", raises="ValueError"),
        _case("negative-label-raises", [0, -1], [0, 1], 3, kind="edge", raises="ValueError"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        k, n = int(rng.integers(2, 10)), int(rng.integers(1, 500))
        y_true = rng.integers(0, k, size=n)
        y_pred = np.where(rng.random(n) < 0.5, y_true, rng.integers(0, k, size=n))
        out.append(_case(f"random-{i}", y_true, y_pred, k, kind="random", seed=seed))
    return out


SPEC = ExerciseSpec(cases=cases)
