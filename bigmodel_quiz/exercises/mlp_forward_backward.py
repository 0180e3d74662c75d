"""Cases for `mlp-forward-backward`: loss and the four gradients, compared with the reference."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _inputs(rng, n: int, d: int, h: int, o: int) -> dict:
    # Weights ~ 1/sqrt(fan-in) keep tanh out of saturation, so every gradient is non-trivial.
    return {
        "x": rng.normal(size=(n, d)),
        "y": rng.normal(size=(n, o)),
        "w1": rng.normal(size=(d, h)) / d**0.5,
        "b1": rng.normal(size=h) * 0.1,
        "w2": rng.normal(size=(h, o)) / h**0.5,
        "b2": rng.normal(size=o) * 0.1,
    }


def cases(seed: int) -> list[Case]:
    """Small shapes, a batch of 1, one output, several outputs, a wide hidden layer, random shapes."""
    import numpy as np

    fixed = np.random.default_rng(20240501)
    out = [
        Case("small", _inputs(fixed, 4, 3, 5, 2)),
        Case("batch-of-1", _inputs(fixed, 1, 3, 4, 2), kind="edge", note="N = 1: sums over the batch have one term"),
        Case("single-output", _inputs(fixed, 6, 4, 5, 1), kind="edge", note="O = 1"),
        Case("many-outputs", _inputs(fixed, 5, 4, 6, 7), kind="edge", note="the mean runs over N*O elements, not N"),
        Case("wide-hidden", _inputs(fixed, 8, 16, 512, 4), kind="edge", note="H = 512"),
        Case(
            "square-shapes", _inputs(fixed, 4, 4, 4, 4), kind="edge",
            note="every dimension equal: a transpose mistake keeps its shape",
        ),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        n, d, h, o = (int(v) for v in rng.integers(1, 12, size=4))
        out.append(Case(f"random-{i}", _inputs(rng, n, d, h, o), kind="random", seed=seed))
    return out


# failures name grad["w1"], not result[1]["w1"]
SPEC = ExerciseSpec(cases=cases, result_names=("loss", "grad"))
