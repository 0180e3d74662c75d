"""Cases for `swiglu-mlp`: (silu(x@w_gate) ⊙ (x@w_up)) @ w_down, with no overflow warning for large |z|.

The child runs each call with NumPy warning on overflow, invalid values and division by zero,
and sends back the warnings it raised with the result; the checker here fails a case that warned.
"""

from __future__ import annotations

from bigmodel_quiz.exercises.diagnose import checker
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _sigmoid(z):
    import numpy as np

    e = np.exp(-np.abs(z))  # never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _swiglu(x, w_gate, w_up, w_down, *, act=None, swap=False):
    """SwiGLU with knobs for the classic mistakes (defaults: the contract)."""
    gate, up = x @ w_gate, x @ w_up
    if swap:
        gate, up = up, gate
    act = act or (lambda z: z * _sigmoid(z))
    return (act(gate) * up) @ w_down


def expected(case: Case):
    """The contract's value, computed without any exp overflow."""
    return _swiglu(**case.kwargs)


def _variant(**knobs):
    def run(x, w_gate, w_up, w_down):
        return _swiglu(x, w_gate, w_up, w_down, **knobs)

    return run


def _gelu(z):
    import numpy as np

    return 0.5 * z * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (z + 0.044715 * z**3)))


MISTAKES = (
    ("gate and up swapped: silu is applied to x @ w_up and multiplies x @ w_gate; it must be"
     " silu(x @ w_gate) ⊙ (x @ w_up)", _variant(swap=True)),
    ("sigmoid used as the activation: silu(z) is z·σ(z), not σ(z)", _variant(act=_sigmoid)),
    ("GELU used as the activation: SwiGLU gates with silu(z) = z·σ(z)", _variant(act=_gelu)),
    ("no activation: silu is missing from the gate (that is a bilinear layer)", _variant(act=lambda z: z)),
)
_COMPARE = checker(MISTAKES)


def check_swiglu(case: Case, got, expected) -> str | None:
    """The values (naming a mistake they match), then: no overflow or invalid-value warning."""
    if not isinstance(got, dict) or "value" not in got:
        return "the result could not be read back"
    problem = _COMPARE(case, got["value"], expected)
    if problem:
        return problem
    warned = [str(w) for w in got.get("warnings") or []]
    if any("overflow" in w for w in warned):
        return (
            f"silu overflow: NumPy warned while computing this case ({'; '.join(warned)}); exp(−z) overflows for"
            " z ≈ −1000 (and exp(z) for z ≈ +1000). Compute σ(z) from e = exp(−|z|): 1/(1+e) where z ≥ 0,"
            " e/(1+e) elsewhere"
        )
    if warned:
        return f"NumPy warned while computing this case ({'; '.join(warned)}): the result must come without warnings"
    return None


def _inputs(rng, lead: tuple, d: int, f: int, scale: float = 1.0) -> dict:
    return {
        "x": rng.normal(size=lead + (d,)),
        "w_gate": rng.normal(size=(d, f)) * scale / d ** 0.5,
        "w_up": rng.normal(size=(d, f)) / d ** 0.5,
        "w_down": rng.normal(size=(f, d)) / f ** 0.5,
    }


def cases(seed: int) -> list[Case]:
    """Shapes (1-D to 3-D x, F = 1, F > D), gate pre-activations of ±1000, random."""
    import numpy as np

    fixed = np.random.default_rng(503)
    c = check_swiglu
    negative = _inputs(fixed, (4,), 6, 8)
    negative["w_gate"] = -np.abs(negative["w_gate"]) * 400.0
    negative["x"] = np.abs(negative["x"]) + 0.5
    mixed = _inputs(fixed, (3,), 4, 6)
    mixed["x"] *= 2000.0
    out = [
        Case("basic", _inputs(fixed, (3,), 4, 8), check=c, note="x (3, 4), F = 8"),
        Case("batched", _inputs(fixed, (2, 5), 8, 12), check=c, note="x (B, T, D)"),
        Case("single-vector", _inputs(fixed, (), 6, 16), kind="edge", check=c, note="x of shape (D,)"),
        Case("hidden-1", _inputs(fixed, (3,), 5, 1), kind="edge", check=c, note="F = 1"),
        Case("large-negative-gate", negative, kind="edge", check=c,
             note="x @ w_gate between about −1300 and −400: silu ≈ 0, and exp(−z) overflows if computed directly"),
        Case("huge-gates-both-signs", mixed, kind="edge", check=c,
             note="gate pre-activations of both signs in the thousands: no overflow, no NaN"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        lead = tuple(int(v) for v in rng.integers(1, 5, size=int(rng.integers(0, 3))))
        d, f = int(rng.integers(1, 9)), int(rng.integers(1, 17))
        out.append(Case(f"random-{i}", _inputs(rng, lead, d, f, scale=float(rng.choice([1.0, 50.0]))), kind="random",
                        seed=seed, check=c, note=f"x shape {lead + (d,)}, F = {f}"))
    return out


SPEC = ExerciseSpec(cases=cases, expected=expected, child="swiglu_mlp")
