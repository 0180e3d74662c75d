"""Cases for `logistic-regression`: one GD step on mean BCE + (l2/2)‖w‖², finite and warning-free at scores of ±1e3.

The child runs each call with NumPy warning on overflow, invalid values and division by zero and
sends the warnings back with the result; the checker here fails a case that warned or whose loss
is not finite, naming the unstable sigmoid.
"""

from __future__ import annotations

from bigmodel_quiz.exercises.diagnose import checker
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

NAMES = ("w", "b", "loss")


def _sigmoid(z):
    import numpy as np

    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _step(X, y, w, b, lr, l2=0.0, *, decay_bias=False, summed=False, loss_no_l2=False, l2_grad_twice=False,
          loss_after=False, grad_sign=False):
    """The step with knobs for the classic mistakes (defaults: the contract)."""
    import numpy as np

    def loss_at(w, b):
        z = X @ w + b
        return float(np.mean(np.logaddexp(0.0, z) - y * z) + (0.0 if loss_no_l2 else 0.5 * l2 * np.dot(w, w)))

    z = X @ w + b
    err = _sigmoid(z) - y
    if grad_sign:
        err = -err
    n = 1 if summed else len(y)
    grad_w = X.T @ err / n + (2.0 if l2_grad_twice else 1.0) * l2 * w
    grad_b = float(np.sum(err) / n) + (l2 * b if decay_bias else 0.0)
    new_w, new_b = w - lr * grad_w, float(b - lr * grad_b)
    return new_w, new_b, loss_at(new_w, new_b) if loss_after else loss_at(w, b)


def expected(case: Case):
    """The contract's values, computed with a stable sigmoid and log(1 + e^z)."""
    return _step(**case.kwargs)


def _variant(**knobs):
    def run(X, y, w, b, lr, l2=0.0):
        return _step(X, y, w, b, lr, l2, **knobs)

    return run


MISTAKES = (
    ("the bias was decayed: the L2 term (l2/2)·‖w‖² covers w only, so the bias gradient is mean(σ(z) − y)",
     _variant(decay_bias=True)),
    ("the gradient was summed over the examples; the loss is a mean, so X.T @ (σ(z) − y) is divided by N",
     _variant(summed=True)),
    ("the L2 term is missing from the returned loss: report mean BCE + (l2/2)·‖w‖²", _variant(loss_no_l2=True)),
    ("the L2 gradient was doubled: the derivative of (l2/2)·‖w‖² is l2·w", _variant(l2_grad_twice=True)),
    ("the loss was measured after the step; return the loss at the weights given (before the update)",
     _variant(loss_after=True)),
    ("the gradient has the wrong sign: dL/dz = σ(z) − y, and the step subtracts lr times the gradient",
     _variant(grad_sign=True)),
)
_COMPARE = checker(MISTAKES, rtol=1e-9, atol=1e-12, names=NAMES)

UNSTABLE = ("unstable sigmoid: scores of ±1e3 must give a finite loss without NumPy warnings; 1/(1 + exp(−z))"
            " overflows for z ≈ −1000 and log(σ(z)) or log(1 − σ(z)) becomes log(0). Write the loss as"
            " log(1 + e^z) − y·z with np.logaddexp(0, z), and σ(z) from e = exp(−|z|): 1/(1 + e) where z ≥ 0,"
            " e/(1 + e) elsewhere")


def _finite(value) -> bool:
    import numpy as np

    try:
        parts = value if isinstance(value, (tuple, list)) else (value,)
        return all(np.all(np.isfinite(np.asarray(p, dtype=np.float64))) for p in parts)
    except Exception:
        return True  # not numbers: the comparison says what is wrong


def check_step(case: Case, got, expected) -> str | None:
    """Stability first (warnings, non-finite values), then the values, naming a mistake they match."""
    if not isinstance(got, dict) or "value" not in got:
        return "the result could not be read back"
    warned = [str(w) for w in got.get("warnings") or []]
    value = got["value"]
    if _finite(expected) and not _finite(value):
        return f"{UNSTABLE}\n(non-finite values in the result" + (f"; NumPy warned: {'; '.join(warned)})" if warned else ")")
    if any(word in w for w in warned for word in ("overflow", "divide by zero", "invalid value")):
        problem = _COMPARE(case, value, expected)
        return f"{UNSTABLE}\n(NumPy warned: {'; '.join(warned)})" + (f"\n{problem}" if problem else "")
    problem = _COMPARE(case, value, expected)
    if problem:
        return problem
    if warned:
        return f"NumPy warned while computing this case ({'; '.join(warned)}): the result must come without warnings"
    return None


def _problem(rng, n, d, scale=1.0):
    import numpy as np

    X = rng.normal(size=(n, d))
    true_w = rng.normal(size=d) * scale
    y = (X @ true_w + 0.5 * rng.normal(size=n) > 0).astype(np.float64)
    return {"X": X, "y": y, "w": rng.normal(size=d) * 0.1, "b": 0.0}


def cases(seed: int) -> list[Case]:
    """A plain step, with L2, a nonzero bias, one example, one feature, scores of ±1e3, random."""
    import numpy as np

    fixed = np.random.default_rng(1009)
    c = check_step
    huge = {"X": np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.0]]), "y": np.array([0.0, 1.0, 1.0, 1.0]),
            "w": np.array([1000.0, -1000.0]), "b": 0.0}
    out = [
        Case("plain-step", {**_problem(fixed, 20, 3), "lr": 0.5}, check=c, note="20 examples, 3 features, no L2"),
        Case("with-l2", {**_problem(fixed, 16, 4), "lr": 0.1, "l2": 0.3}, check=c, note="l2 = 0.3: w decays, b does not"),
        Case("nonzero-bias", {**_problem(fixed, 12, 2), "lr": 0.2, "l2": 0.05} | {"b": 1.5}, check=c,
             note="b = 1.5 with L2: the bias is not decayed"),
        Case("one-example", {"X": np.array([[2.0, -1.0]]), "y": np.array([1.0]), "w": np.array([0.5, 0.5]), "b": -0.25,
                             "lr": 1.0, "l2": 0.1}, kind="edge", check=c, note="N = 1"),
        Case("one-feature", {**_problem(fixed, 8, 1), "lr": 0.3}, kind="edge", check=c, note="D = 1"),
        Case("scores-1e3", {**huge, "lr": 0.1}, kind="edge", check=c,
             note="scores ±1000, some on the wrong side: loss ≈ 750, finite, no overflow warning"),
        Case("scores-1e3-with-l2", {**huge, "lr": 1e-4, "l2": 1e-3, "b": -3.0}, kind="edge", check=c,
             note="scores ±1000 with L2 and a bias"),
        Case("separable-confident", {"X": np.array([[3.0], [-3.0]]), "y": np.array([1.0, 0.0]),
                                     "w": np.array([400.0]), "b": 0.0, "lr": 1.0}, kind="edge", check=c,
             note="scores ±1200 on the right side: loss ≈ 0 (not log(0))"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        n, d = int(rng.integers(1, 40)), int(rng.integers(1, 6))
        args = {**_problem(rng, n, d, scale=2.0), "lr": float(rng.uniform(0.01, 1.0)),
                "l2": float(rng.choice([0.0, rng.uniform(0, 0.5)]))}
        args["b"] = float(rng.normal())
        if i == 2:
            args["w"] = args["w"] * 5000.0  # scores in the thousands
        out.append(Case(f"random-{i}", args, kind="random", seed=seed, check=c, note=f"N = {n}, D = {d}"))
    return out


SPEC = ExerciseSpec(cases=cases, expected=expected, child="logistic_regression", result_names=NAMES)
