"""Cases for `rms-norm`: x / √(mean(x²) + eps) · weight over the last axis, with no mean subtracted."""

from __future__ import annotations

from bigmodel_quiz.exercises.diagnose import checker
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _subtract_mean(x, weight, eps=1e-6):
    import numpy as np

    c = x - x.mean(-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return c / np.sqrt((c * c).mean(-1, keepdims=True) + eps) * weight


def _eps_outside(x, weight, eps=1e-6):
    import numpy as np

    with np.errstate(invalid="ignore", divide="ignore"):
        return x / (np.sqrt((x * x).mean(-1, keepdims=True)) + eps) * weight


def _sum_not_mean(x, weight, eps=1e-6):
    import numpy as np

    return x / np.sqrt((x * x).sum(-1, keepdims=True) + eps) * weight


def _no_weight(x, weight, eps=1e-6):
    import numpy as np

    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps)


MISTAKES = (
    ("the mean was subtracted: that is LayerNorm; RMSNorm divides x itself by its root mean square,"
     " without centring it", _subtract_mean),
    ("eps added outside the square root: x / (√mean(x²) + eps); it belongs inside, √(mean(x²) + eps)", _eps_outside),
    ("sum of squares instead of their mean: divide by √(mean(x²) + eps), the root MEAN square", _sum_not_mean),
    ("the weight (gain) is not applied", _no_weight),
)
CHECK = checker(MISTAKES)


def cases(seed: int) -> list[Case]:
    """Rows of every kind: shifted, constant, all-zero, tiny (eps matters), huge, D = 1, batched, random."""
    import numpy as np

    fixed = np.random.default_rng(409)
    c = CHECK
    shifted = fixed.normal(size=(3, 8)) + np.array([[5.0], [-2.0], [0.0]])
    with_zero_row = fixed.normal(size=(4, 6))
    with_zero_row[1] = 0.0
    out = [
        Case("basic", {"x": fixed.normal(size=(4, 8)), "weight": fixed.normal(size=8)}, check=c, note="(N, D) = (4, 8)"),
        Case("shifted-rows", {"x": shifted, "weight": np.ones(8)}, check=c,
             note="rows with a large mean: RMSNorm does not subtract it"),
        Case("batched", {"x": fixed.normal(size=(2, 3, 16)), "weight": fixed.uniform(0.5, 1.5, size=16), "eps": 1e-5},
             check=c, note="(B, T, D): normalise over the last axis only"),
        Case("constant-rows", {"x": np.array([[3.0, 3.0, 3.0, 3.0], [-2.0, -2.0, -2.0, -2.0]]),
                               "weight": np.array([1.0, 2.0, 3.0, 4.0])}, kind="edge", check=c,
             note="a constant row has RMS = |value|: the result is ±weight, not 0"),
        Case("all-zero-row", {"x": with_zero_row, "weight": fixed.normal(size=6)}, kind="edge", check=c,
             note="an all-zero row gives zeros (eps keeps the division finite)"),
        Case("tiny-values", {"x": fixed.normal(size=(2, 8)) * 1e-4, "weight": np.ones(8)}, kind="edge", check=c,
             note="mean(x²) ≈ 1e-8 is far below eps = 1e-6: eps goes inside the square root"),
        Case("huge-values", {"x": fixed.normal(size=(2, 8)) * 1e100, "weight": np.ones(8)}, kind="edge", check=c,
             note="values of 1e100: squares still fit in float64"),
        Case("one-feature", {"x": fixed.normal(size=(5, 1)), "weight": np.array([2.0])}, kind="edge", check=c,
             note="D = 1: every value becomes ±weight (almost)"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        shape = tuple(int(v) for v in rng.integers(1, 6, size=int(rng.integers(1, 4)))) + (int(rng.integers(1, 33)),)
        eps = float(rng.choice([1e-6, 1e-5, 1e-8]))
        x = rng.normal(size=shape) * float(rng.choice([0.01, 1.0, 100.0])) + float(rng.normal())
        out.append(Case(f"random-{i}", {"x": x, "weight": rng.normal(size=shape[-1]), "eps": eps}, kind="random",
                        seed=seed, check=c, note=f"x shape {shape}, eps={eps:g}"))
    return out


SPEC = ExerciseSpec(cases=cases)
