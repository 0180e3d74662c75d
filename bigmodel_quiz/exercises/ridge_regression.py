"""Cases for `ridge-regression`: closed-form ridge weights, including ill-conditioned X."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

# Solutions through the normal equations (solve(X^T X + lam I, X^T y)) lose accuracy in
# proportion to cond(X^T X + lam I). The cases keep that condition number below ~1e6, so a
# correct normal-equations solution stays within rtol 1e-8 of the SVD reference; 1e-7 leaves margin.
RTOL, ATOL = 1e-7, 1e-9


def _ill_conditioned(rng, n: int, d: int, cond: float):
    import numpy as np

    u, _ = np.linalg.qr(rng.normal(size=(n, d)))
    v, _ = np.linalg.qr(rng.normal(size=(d, d)))
    s = np.logspace(0, -np.log10(cond), d)
    return u @ np.diag(s) @ v.T


def cases(seed: int) -> list[Case]:
    """Well-conditioned X, lam = 0 (least squares), ill-conditioned and collinear X, wide X, lam < 0."""
    import numpy as np

    fixed = np.random.default_rng(23)

    def data(X, noise=0.1):
        w_true = fixed.normal(size=X.shape[1])
        return X @ w_true + noise * fixed.normal(size=X.shape[0])

    X1 = fixed.normal(size=(50, 5))
    X2 = fixed.normal(size=(30, 4))
    X3 = _ill_conditioned(fixed, 40, 6, cond=1e6)
    base = fixed.normal(size=(25, 3))
    X4 = np.column_stack([base, base[:, 0] + 1e-6 * fixed.normal(size=25)])  # two near-equal columns
    X5 = fixed.normal(size=(5, 12))
    X6 = fixed.normal(size=(20, 3))
    out = [
        Case("basic-lam-1", {"X": X1, "y": data(X1), "lam": 1.0}),
        Case(
            "lam-0-full-rank", {"X": X2, "y": data(X2), "lam": 0.0}, kind="edge",
            note="lam = 0: ordinary least squares",
        ),
        Case(
            "ill-conditioned-lam-0.01",
            {"X": X3, "y": data(X3), "lam": 0.01},
            kind="edge",
            note="cond(X) = 1e6: the penalty is what makes the problem well-posed",
        ),
        Case(
            "near-collinear-columns",
            {"X": X4, "y": data(X4), "lam": 0.1},
            kind="edge",
            note="two almost identical columns share the weight",
        ),
        Case(
            "more-features-than-samples",
            {"X": X5, "y": data(X5), "lam": 0.5},
            kind="edge",
            note="d > n: X^T X is singular, X^T X + lam I is not",
        ),
        Case("large-lam-1e4", {"X": X6, "y": data(X6), "lam": 1e4}, kind="edge", note="weights shrink towards 0"),
        Case("negative-lam-raises", {"X": X6, "y": data(X6), "lam": -1.0}, kind="edge", raises="ValueError"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        n, d = int(rng.integers(2, 60)), int(rng.integers(1, 10))
        X = rng.normal(size=(n, d))
        lam = float(rng.choice([0.01, 0.1, 1.0, 10.0]))
        y = X @ rng.normal(size=d) + 0.1 * rng.normal(size=n)
        out.append(Case(f"random-{i}", {"X": X, "y": y, "lam": lam}, kind="random", seed=seed, note=f"lam={lam}"))
    return out


SPEC = ExerciseSpec(cases=cases, rtol=RTOL, atol=ATOL)
