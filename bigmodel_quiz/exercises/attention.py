"""Cases for `attention`: scaled dot-product attention, causal or not, with large scores."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bigmodel_quiz.exercises.diagnose import checker, softmax_attention
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
    return [replace(c, note=_shapes(c.kwargs) + (f"; {c.note}" if c.note else ""), check=check) for c in out]


def _shapes(kwargs: dict[str, Any]) -> str:
    return (f"q {tuple(kwargs['q'].shape)}, k {tuple(kwargs['k'].shape)}, v {tuple(kwargs['v'].shape)}, "
            f"causal={bool(kwargs.get('causal', False))}")


def _attend(q, k, v, causal=False, *, scale=None, diagonal=1, axis=-1, mask_after=False, dtype=None):
    """The reference computation, with knobs that reproduce the classic mistakes."""
    import numpy as np

    if dtype is not None:
        q, k, v = q.astype(dtype), k.astype(dtype), v.astype(dtype)
    if causal and q.shape[-2] != k.shape[-2]:
        return None
    d = q.shape[-1]
    out = softmax_attention(q, k, v, causal, scale=1 / np.sqrt(d) if scale is None else scale, diagonal=diagonal,
                            axis=axis, mask_after=mask_after)
    return out.astype(np.float64)


MISTAKES = (
    ("scores scaled by 1/D: the scale is 1/√D", lambda q, k, v, causal=False: _attend(q, k, v, causal, scale=1 / q.shape[-1])),
    ("scores not scaled: divide q·kᵀ by √D", lambda q, k, v, causal=False: _attend(q, k, v, causal, scale=1.0)),
    ("the causal mask also hides the diagonal (shifted by one): position i attends to j ≤ i, itself included",
     lambda q, k, v, causal=False: _attend(q, k, v, causal, diagonal=0) if causal and q.shape[-2] > 1 else None),
    ("the mask is applied after the softmax: masked weights are zeroed but the rest no longer sum to 1; "
     "mask the scores with -inf before the softmax",
     lambda q, k, v, causal=False: _attend(q, k, v, causal, mask_after=True) if causal else None),
    ("softmax over the query axis: each query's weights must sum to 1 over the keys (the last axis)",
     lambda q, k, v, causal=False: _attend(q, k, v, causal, axis=-2)),
)
_checker = checker(MISTAKES, rtol=1e-7, atol=1e-9)


def check(case: Case, got: Any, expected: Any) -> str | None:
    """Compare, then name the mistake (scale, mask, softmax axis) or float32 rounding."""
    import numpy as np

    message = _checker(case, got, expected)
    if message is None or "\n" in message:
        return message
    try:
        close = np.allclose(np.asarray(got, dtype=np.float64), expected, rtol=1e-5, atol=1e-6)
    except (TypeError, ValueError):
        close = False
    if close:
        return ("right to float32 precision only: the computation runs in float32; keep the float64 inputs' "
                f"precision\n{message}")
    if "NaN" in message and case.kwargs["q"].std() > 10:
        return f"huge scores overflow exp(): subtract each row's maximum before the softmax\n{message}"
    return message


SPEC = ExerciseSpec(cases=cases)
