"""Cases for `lora-linear`: the frozen layer plus (alpha/r)·B·A, in torch.nn.Linear's layout."""

from __future__ import annotations

from bigmodel_quiz.exercises.diagnose import checker
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _lora(x, w, b, lora_a, lora_b, alpha, *, scale=None):
    """The layer with the adapter's factor chosen by ``scale(alpha, r)`` (default: alpha / r)."""
    r = lora_a.shape[0]
    factor = alpha / r if scale is None else scale(alpha, r)
    return x @ w.T + b + factor * ((x @ lora_a.T) @ lora_b.T)


def _variant(scale):
    def run(x, w, b, lora_a, lora_b, alpha):
        if scale(alpha, lora_a.shape[0]) == alpha / lora_a.shape[0]:
            return None  # the mistake changes nothing here
        return _lora(x, w, b, lora_a, lora_b, alpha, scale=scale)

    return run


MISTAKES = (
    ("the update is scaled by alpha instead of alpha/r: LoRA multiplies B·A by alpha/r, so that changing the"
     " rank r does not change the update's size", _variant(lambda alpha, r: alpha)),
    ("the update is not scaled: LoRA multiplies B·A by alpha/r", _variant(lambda alpha, r: 1.0)),
    ("the update is scaled by r/alpha: the factor is alpha/r", _variant(lambda alpha, r: r / alpha)),
    ("the update is scaled by 1/r only: the factor is alpha/r", _variant(lambda alpha, r: 1.0 / r)),
)
CHECK = checker(MISTAKES)


def _inputs(rng, n: int, d_in: int, d_out: int, r: int, alpha: float, zero_b: bool = False) -> dict:
    return {
        "x": rng.normal(size=(n, d_in)),
        "w": rng.normal(size=(d_out, d_in)) / d_in ** 0.5,
        "b": rng.normal(size=d_out) * 0.1,
        "lora_a": rng.normal(size=(r, d_in)) / d_in ** 0.5,
        "lora_b": rng.normal(size=(d_out, r)) * (0.0 if zero_b else 1.0),
        "alpha": alpha,
    }


def cases(seed: int) -> list[Case]:
    """Ranks 1 to full, alpha ≠ r, alpha = r, a zero B, one row, random shapes."""
    import numpy as np

    fixed = np.random.default_rng(1701)
    c = CHECK
    out = [
        Case("rank-4-alpha-8", _inputs(fixed, 5, 12, 10, 4, 8.0), check=c, note="r = 4, alpha = 8: the update × 2"),
        Case("rank-8-alpha-16", _inputs(fixed, 3, 32, 24, 8, 16.0), check=c, note="r = 8, alpha = 16 (a common setting)"),
        Case("alpha-below-r", _inputs(fixed, 4, 6, 7, 3, 1.5), check=c, note="r = 3, alpha = 1.5: the update × 0.5"),
        Case("rank-1", _inputs(fixed, 4, 8, 5, 1, 4.0), kind="edge", check=c, note="r = 1"),
        Case("full-rank", _inputs(fixed, 3, 4, 6, 4, 2.0), kind="edge", check=c, note="r = min(in, out)"),
        Case("alpha-equals-r", _inputs(fixed, 3, 8, 8, 4, 4.0), kind="edge", check=c, note="alpha = r: factor 1"),
        Case("zero-lora-b", _inputs(fixed, 4, 8, 6, 2, 16.0, zero_b=True), kind="edge", check=c,
             note="lora_b = 0 (LoRA's initialisation): exactly the base layer"),
        Case("one-row", _inputs(fixed, 1, 5, 3, 2, 32.0), kind="edge", check=c, note="N = 1, a large alpha"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        d_in, d_out = int(rng.integers(1, 20)), int(rng.integers(1, 20))
        r = int(rng.integers(1, min(d_in, d_out) + 1))
        alpha = float(rng.choice([1.0, 8.0, 16.0, 32.0, 0.5]))
        n = int(rng.integers(1, 8))
        out.append(Case(f"random-{i}", _inputs(rng, n, d_in, d_out, r, alpha), kind="random", seed=seed, check=c,
                        note=f"N={n}, in={d_in}, out={d_out}, r={r}, alpha={alpha}"))
    return out


SPEC = ExerciseSpec(cases=cases)
