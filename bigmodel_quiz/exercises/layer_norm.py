"""Cases for `layer-norm`: normalisation over the last axis with biased variance."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _inputs(rng, shape: tuple[int, ...], **extra) -> dict:
    d = shape[-1]
    return {
        "x": rng.normal(size=shape) * 2.0 + 1.0,
        "gamma": 1.0 + 0.5 * rng.normal(size=d),
        "beta": 0.5 * rng.normal(size=d),
        **extra,
    }


def cases(seed: int) -> list[Case]:
    """2-D and 3-D inputs, constant rows, width 1, a large eps, a short row, random shapes."""
    import numpy as np

    fixed = np.random.default_rng(13)
    constant = _inputs(fixed, (4, 6))
    constant["x"][1] = 3.0  # a constant row: variance 0, output = beta
    constant["x"][3] = -2.5
    out = [
        Case("basic-2d", _inputs(fixed, (4, 8))),
        Case("batch-seq-3d", _inputs(fixed, (2, 3, 16)), note="normalise over the last axis only"),
        Case("constant-rows", constant, kind="edge", note="rows with zero variance: eps keeps the division finite"),
        Case(
            "width-1",
            _inputs(fixed, (5, 1)),
            kind="edge",
            note="D = 1: every row is constant, the output is beta",
        ),
        Case(
            "short-rows-d-3",
            _inputs(fixed, (6, 3)),
            kind="edge",
            note="small D: the biased (/D) and unbiased (/(D-1)) variances differ by half",
        ),
        Case(
            "eps-0.1",
            _inputs(fixed, (3, 5), eps=0.1),
            kind="edge",
            note="a large eps: it belongs inside the square root, sqrt(var + eps)",
        ),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        ndim = int(rng.integers(1, 4))
        shape = tuple(int(v) for v in rng.integers(1, 9, size=ndim - 1)) + (int(rng.integers(2, 33)),)
        out.append(Case(f"random-{i}", _inputs(rng, shape), kind="random", seed=seed, note=f"shape {shape}"))
    return out


SPEC = ExerciseSpec(cases=cases)
