"""Cases for `grad-clip`: one global 2-norm over every gradient, one scale factor min(1, max_norm/(total + 1e-6))."""

from __future__ import annotations

from bigmodel_quiz.exercises.diagnose import mismatch
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

NAMES = ("grads", "total_norm")


def _norm(g) -> float:
    import numpy as np

    return float(np.sqrt(np.sum(np.square(g))))


def _clip(grads, max_norm, *, per_tensor=False, sum_of_norms=False, no_min=False, inf_norm=False):
    """Clipping with knobs for the classic mistakes (defaults: the contract). Returns (grads, total)."""
    import numpy as np

    if not grads:
        return [], 0.0
    norms = [_norm(g) for g in grads]
    total = float(np.sqrt(sum(n * n for n in norms)))
    if sum_of_norms:
        total = float(sum(norms))
    if inf_norm:
        total = float(max(np.max(np.abs(g)) if g.size else 0.0 for g in grads))
    if per_tensor:
        return [g * min(1.0, max_norm / (n + 1e-6)) for g, n in zip(grads, norms)], total
    coef = max_norm / (total + 1e-6)
    return [g * (coef if no_min else min(1.0, coef)) for g in grads], total


MISTAKES = (
    ("clipped per tensor instead of globally: each gradient was scaled by its own norm; clip_grad_norm_"
     " computes ONE norm over all gradients together, √(Σ‖g_i‖²), and scales every gradient by the same"
     " factor, so the update keeps its direction", dict(per_tensor=True)),
    ("the total is the sum of the per-tensor norms; the global 2-norm is √(Σ‖g_i‖²), the norm of all"
     " gradients concatenated into one vector", dict(sum_of_norms=True)),
    ("small gradients scaled up: the factor is min(1, max_norm/(total + 1e-6)); clipping only ever shrinks",
     dict(no_min=True)),
    ("the max-abs (infinity) norm was used; this exercise clips by the 2-norm", dict(inf_norm=True)),
)


def _same_list(expected, got, rtol, atol):
    return mismatch(list(expected), got, rtol, atol, path="grads")


def check_clip(case: Case, got, expected) -> str | None:
    """Compare (grads, total); a wrong result is matched against the known mistakes (grads alone suffice)."""
    import copy

    rtol, atol = 1e-9, 1e-12
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return f"expected a tuple (grads, total_norm), got a {type(got).__name__}"
    grads, total = got
    if not isinstance(grads, (list, tuple)):
        return f"grads: expected a list of {len(expected[0])} arrays, got a {type(grads).__name__}"
    problem = _same_list(expected[0], grads, rtol, atol) or mismatch(expected[1], total, rtol, atol,
                                                                       path="total_norm")
    if problem is None:
        return None
    grads_wrong = _same_list(expected[0], grads, rtol, atol) is not None
    for label, knobs in MISTAKES:
        wrong_grads, wrong_total = _clip(copy.deepcopy(case.kwargs["grads"]), case.kwargs["max_norm"], **knobs)
        grads_match = _same_list(wrong_grads, grads, rtol, atol) is None
        if knobs.get("per_tensor") and grads_wrong and grads_match:
            return f"{label}\n{problem}"
        if grads_match and mismatch(wrong_total, total, rtol, atol) is None:
            return f"{label}\n{problem}"
    return problem


def cases(seed: int) -> list[Case]:
    """Above and below max_norm, one tensor, mixed shapes, zeros, empty list, random."""
    import numpy as np

    fixed = np.random.default_rng(1701)
    c = check_clip
    mixed = [fixed.normal(size=(4, 3)), fixed.normal(size=3), fixed.normal(size=(2, 2, 2)) * 3.0]
    out = [
        Case("clipped", {"grads": mixed, "max_norm": 1.0}, check=c, note="three gradients of total norm ≈ 8.7 clipped to 1"),
        Case("uneven", {"grads": [np.array([3.0, 4.0]), np.array([[0.0, 0.1], [0.1, 0.0]])], "max_norm": 2.5},
             check=c, note="one large and one small gradient: both scaled by the same factor 2.5/5.002"),
        Case("below-max-norm", {"grads": [fixed.normal(size=(3, 3)) * 0.01, fixed.normal(size=2) * 0.01],
                                "max_norm": 5.0}, kind="edge", check=c,
             note="total below max_norm: the gradients come back unchanged"),
        Case("single-tensor", {"grads": [np.array([[6.0, 8.0]])], "max_norm": 1.0}, kind="edge", check=c,
             note="one gradient of norm 10"),
        Case("all-zero", {"grads": [np.zeros((2, 3)), np.zeros(4)], "max_norm": 1.0}, kind="edge", check=c,
             note="total 0: the 1e-6 keeps the factor finite"),
        Case("scalar-and-empty", {"grads": [np.array(12.0), np.zeros((0, 3)), np.array([5.0])], "max_norm": 0.5},
             kind="edge", check=c, note="a 0-d gradient and one with no elements"),
        Case("empty-list", {"grads": [], "max_norm": 1.0}, kind="edge", check=c, note="no gradients: ([], 0.0)"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        n = int(rng.integers(1, 6))
        grads = [rng.normal(size=tuple(int(d) for d in rng.integers(1, 6, size=int(rng.integers(1, 4)))))
                 * float(rng.choice([0.01, 1.0, 10.0])) for _ in range(n)]
        max_norm = float(rng.uniform(0.1, 5.0))
        out.append(Case(f"random-{i}", {"grads": grads, "max_norm": max_norm}, kind="random", seed=seed, check=c,
                        note=f"{n} gradients, max_norm {max_norm:.3g}"))
    return out


SPEC = ExerciseSpec(cases=cases, result_names=NAMES)
