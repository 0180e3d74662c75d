"""Cases for `softmax-cross-entropy`: mean loss and gradient, including huge logits."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _inputs(rng, n: int, k: int, scale: float = 1.0) -> dict:
    return {"logits": rng.normal(size=(n, k)) * scale, "labels": rng.integers(0, k, size=n)}


def cases(seed: int) -> list[Case]:
    """Ordinary logits, logits of magnitude 1e4 (both signs), a batch of 1, two classes, random."""
    import numpy as np

    fixed = np.random.default_rng(3)
    huge = _inputs(fixed, 6, 5, scale=1e4)
    out = [
        Case("basic", _inputs(fixed, 4, 5)),
        Case("logits-1e4", huge, kind="edge", note="exp(1e4) overflows: subtract each row's max first"),
        Case(
            "logits-minus-1e4",
            {"logits": -1e4 - np.abs(fixed.normal(size=(4, 3))) * 1e4, "labels": np.array([0, 1, 2, 0])},
            kind="edge",
            note="every exp() underflows to 0 without the max shift: log(0) = -inf",
        ),
        Case("batch-of-1", _inputs(fixed, 1, 4), kind="edge"),
        Case("two-classes", _inputs(fixed, 5, 2), kind="edge"),
        Case(
            "uniform-logits",
            {"logits": np.zeros((3, 10)), "labels": np.array([0, 4, 9])},
            kind="edge",
            note="loss = log(10)",
        ),
        Case(
            "large-batch", _inputs(fixed, 64, 10, scale=3.0), kind="edge",
            note="the loss is a mean: the gradient carries 1/N",
        ),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        n, k = int(rng.integers(1, 20)), int(rng.integers(2, 12))
        out.append(Case(f"random-{i}", _inputs(rng, n, k, scale=float(rng.choice([1.0, 10.0, 100.0]))), kind="random", seed=seed))
    return out


SPEC = ExerciseSpec(cases=cases, result_names=("loss", "grad"))
