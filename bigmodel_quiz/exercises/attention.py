"""Cases for `attention`: scaled dot-product attention, causal or not, with large scores."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _inputs(rng, b: int, h: int, tq: int, tk: int, d: int, scale: float = 1.0, **extra) -> dict:
    return {
        "q": rng.normal(size=(b, h, tq, d)) * scale,
        "k": rng.normal(size=(b, h, tk, d)) * scale,
        "v": rng.normal(size=(b, h, tk, d)),
        **extra,
    }


def cases(seed: int) -> list[Case]:
    """Self- and cross-attention, causal masks, huge scores, one query, random shapes."""
    import numpy as np

    fixed = np.random.default_rng(17)
    out = [
        Case("basic", _inputs(fixed, 2, 3, 4, 4, 8), note="B=2, H=3, T=4, D=8"),
        Case("cross-attention-tq-3-tk-5", _inputs(fixed, 1, 2, 3, 5, 4), kind="edge", note="Tq != Tk"),
        Case("causal", _inputs(fixed, 2, 2, 5, 5, 4, causal=True), kind="edge", note="position i attends to j <= i"),
        Case("causal-T-1", _inputs(fixed, 1, 1, 1, 1, 3, causal=True), kind="edge"),
        Case("single-query", _inputs(fixed, 2, 1, 1, 6, 4), kind="edge", note="Tq = 1"),
        Case(
            "large-scores", _inputs(fixed, 1, 2, 4, 4, 16, scale=100.0), kind="edge",
            note="scores ~1e4: subtract the row max",
        ),
        Case(
            "large-scores-causal",
            _inputs(fixed, 1, 2, 6, 6, 16, scale=100.0, causal=True),
            kind="edge",
            note="huge scores and a mask together",
        ),
        Case("head-dim-64", _inputs(fixed, 1, 2, 3, 3, 64), kind="edge", note="scale by 1/sqrt(D), not 1/D"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        b, h, d = (int(v) for v in rng.integers(1, 5, size=3))
        causal = bool(rng.integers(2))
        tq = int(rng.integers(1, 9))
        tk = tq if causal else int(rng.integers(1, 9))
        out.append(Case(f"random-{i}", _inputs(rng, b, h, tq, tk, d * 4, causal=causal), kind="random", seed=seed))
    return out


SPEC = ExerciseSpec(cases=cases)
