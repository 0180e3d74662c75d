"""Cases for `rnn-forward`: every hidden state of a tanh RNN, and the last one."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _inputs(rng, n: int, t: int, d: int, h: int, zero_h0: bool = False) -> dict:
    import numpy as np

    return {
        "x": rng.normal(size=(n, t, d)),
        "h0": np.zeros((n, h)) if zero_h0 else rng.normal(size=(n, h)) * 0.5,
        "w_xh": rng.normal(size=(d, h)) / d**0.5,
        "w_hh": rng.normal(size=(h, h)) / h**0.5,
        "b": rng.normal(size=h) * 0.1,
    }


def cases(seed: int) -> list[Case]:
    """Ordinary shapes, T = 1, zero and non-zero h0, a batch of 1, a long sequence, random shapes."""
    import numpy as np

    fixed = np.random.default_rng(5)
    out = [
        Case("basic", _inputs(fixed, 3, 5, 4, 6), note="N=3, T=5, D=4, H=6"),
        Case("T-1", _inputs(fixed, 2, 1, 3, 4), kind="edge", note="one time step"),
        Case("zero-h0", _inputs(fixed, 2, 4, 3, 5, zero_h0=True), kind="edge"),
        Case("batch-of-1", _inputs(fixed, 1, 6, 2, 3), kind="edge"),
        Case("long-sequence", _inputs(fixed, 2, 50, 3, 8), kind="edge", note="T = 50"),
        Case("N-equals-T", _inputs(fixed, 4, 4, 3, 5), kind="edge", note="a (T, N, H) result has the same shape here"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        n, t, d, h = (int(v) for v in rng.integers(1, 10, size=4))
        out.append(Case(f"random-{i}", _inputs(rng, n, t, d, h), kind="random", seed=seed))
    return out


SPEC = ExerciseSpec(cases=cases, result_names=("states", "last"))
