"""Cases for `layer-norm-backward`: dx with both correction terms, dgamma, dbeta; checked against finite differences too."""

from __future__ import annotations

from bigmodel_quiz.exercises.diagnose import checker, mismatch, recognise
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

NAMES = ("dx", "dgamma", "dbeta")


def _backward(dy, x, gamma, eps=1e-5, *, mean_term=True, var_term=True, dgamma_from_x=False):
    """The backward pass with knobs for the classic mistakes (defaults: the contract)."""
    import numpy as np

    mean = x.mean(axis=-1, keepdims=True)
    inv_std = 1.0 / np.sqrt(x.var(axis=-1, keepdims=True) + eps)
    x_hat = (x - mean) * inv_std
    g = dy * gamma
    dx = g.copy()
    if mean_term:
        dx = dx - g.mean(axis=-1, keepdims=True)
    if var_term:
        dx = dx - x_hat * (g * x_hat).mean(axis=-1, keepdims=True)
    dgamma = (dy * (x if dgamma_from_x else x_hat)).sum(axis=0)
    return dx * inv_std, dgamma, dy.sum(axis=0)


def _variant(**knobs):
    def run(dy, x, gamma, eps=1e-5):
        return _backward(dy, x, gamma, eps, **knobs)

    return run


MISTAKES = (
    ("the mean terms are missing: dx = dy·gamma/σ treats the mean and the variance as constants, but both depend"
     " on every x of the row; dx = (g − mean(g) − x̂·mean(g·x̂))/σ with g = dy·gamma",
     _variant(mean_term=False, var_term=False)),
    ("the term from the mean is missing: subtract mean(g) over the row (g = dy·gamma), the gradient through"
     " the mean", _variant(mean_term=False)),
    ("the term from the variance is missing: subtract x̂·mean(g·x̂) over the row (g = dy·gamma), the gradient"
     " through the variance", _variant(var_term=False)),
    ("dgamma sums dy·x; it is Σ dy·x̂ over the rows, the normalised input", _variant(dgamma_from_x=True)),
)
CHECK = checker(MISTAKES, names=NAMES)

FD_STEP = 1e-6


def _forward(x, gamma, beta, eps):
    import numpy as np

    mean = x.mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(x.var(axis=-1, keepdims=True) + eps) * gamma + beta


def finite_differences(dy, x, gamma, eps=1e-5):
    """(dx, dgamma, dbeta) of L = Σ dy·layer_norm(x, gamma, beta) by central differences (beta = 0)."""
    import numpy as np

    beta = np.zeros_like(gamma)

    def loss(x_, gamma_, beta_):
        return float(np.sum(dy * _forward(x_, gamma_, beta_, eps)))

    grads = []
    for which, value in enumerate((x, gamma, beta)):
        grad = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            args = [x, gamma, beta]
            plus, minus = value.copy(), value.copy()
            plus[idx] += FD_STEP
            minus[idx] -= FD_STEP
            args[which] = plus
            up = loss(*args)
            args[which] = minus
            grad[idx] = (up - loss(*args)) / (2 * FD_STEP)
        grads.append(grad)
    return tuple(grads)


def check_finite_differences(case: Case, got, expected) -> str | None:
    """The result against central differences of Σ dy·y, computed here, independently of the reference."""
    numeric = finite_differences(**case.kwargs)
    problem = mismatch(numeric, got, 1e-5, 1e-7, NAMES)
    if problem is None:
        return None
    label = recognise(case, got, MISTAKES)
    message = f"disagrees with finite differences of Σ dy·y (step {FD_STEP:g}): {problem}"
    return message if label is None else f"{label}\n{message}"


def _inputs(rng, n: int, d: int, *, scale: float = 1.0, shift: float = 0.0, **extra) -> dict:
    return {"dy": rng.normal(size=(n, d)), "x": rng.normal(size=(n, d)) * scale + shift,
            "gamma": rng.normal(size=d) * 0.5 + 1.0, **extra}


def cases(seed: int) -> list[Case]:
    """Small and wide rows, shifted and scaled inputs, D = 1, constant rows, a zero dy, finite differences, random."""
    import numpy as np

    fixed = np.random.default_rng(1607)
    c = CHECK
    constant = _inputs(fixed, 3, 4)
    constant["x"][1] = 2.5
    out = [
        Case("basic", _inputs(fixed, 4, 6), check=c, note="N=4, D=6"),
        Case("wide-rows", _inputs(fixed, 3, 64), check=c, note="D=64"),
        Case("shifted-scaled", _inputs(fixed, 5, 8, scale=30.0, shift=100.0), check=c,
             note="x with mean 100 and std 30: the result is shift-invariant"),
        Case("custom-eps", _inputs(fixed, 3, 5, scale=0.01, eps=1e-2), kind="edge", check=c,
             note="eps = 1e-2 comparable to the variance"),
        Case("one-row", _inputs(fixed, 1, 7), kind="edge", check=c, note="N = 1"),
        Case("D-is-1", _inputs(fixed, 4, 1), kind="edge", check=c, note="D = 1: x̂ = 0 and dx = 0"),
        Case("constant-row", constant, kind="edge", check=c, note="a row with zero variance (only eps keeps σ > 0)"),
        Case("zero-dy", {**_inputs(fixed, 3, 5), "dy": np.zeros((3, 5))}, kind="edge", check=c,
             note="dy = 0: every gradient 0"),
        Case("finite-differences", _inputs(fixed, 3, 5), kind="edge", check=check_finite_differences,
             note="compared with central differences of Σ dy·y, not with the reference"),
        Case("finite-differences-scaled", _inputs(fixed, 2, 4, scale=3.0, shift=-2.0), kind="edge",
             check=check_finite_differences, note="central differences on a shifted, scaled input"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        n, d = int(rng.integers(1, 9)), int(rng.integers(2, 33))
        out.append(Case(f"random-{i}", _inputs(rng, n, d, scale=float(rng.choice([0.1, 1.0, 10.0]))), kind="random",
                        seed=seed, check=c, note=f"N={n}, D={d}"))
    rng_fd = np.random.default_rng(seed + 1)
    out.append(Case("random-finite-differences", _inputs(rng_fd, 2, int(rng_fd.integers(2, 7))), kind="random",
                    seed=seed, check=check_finite_differences, note="central differences on random inputs"))
    return out


SPEC = ExerciseSpec(cases=cases, result_names=NAMES)
