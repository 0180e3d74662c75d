"""Cases for `adamw-step`: one step of PyTorch's AdamW, inputs left unchanged."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _state(rng, shape, t: int, grad_scale: float = 1.0, fresh: bool = False) -> dict:
    import numpy as np

    grad = rng.normal(size=shape) * grad_scale
    if fresh:
        m, v = np.zeros(shape), np.zeros(shape)
    else:
        # Moments consistent with a history of gradients of the same scale (v >= 0).
        m = rng.normal(size=shape) * 0.1 * grad_scale
        v = rng.uniform(0.1, 1.0, size=shape) * grad_scale**2
    return {"param": rng.normal(size=shape), "grad": grad, "m": m, "v": v, "t": t}


def cases(seed: int) -> list[Case]:
    """First and later steps, no weight decay, eps-dominated tiny gradients, zero gradients, random."""
    import numpy as np

    fixed = np.random.default_rng(29)
    zero_grad = _state(fixed, (6,), 5)
    zero_grad["grad"] = np.zeros(6)
    out = [
        Case(
            "first-step-t-1", _state(fixed, (8,), 1, fresh=True),
            note="m and v start at 0; bias correction matters most",
        ),
        Case("step-t-10", _state(fixed, (8,), 10)),
        Case("step-t-1000", _state(fixed, (5,), 1000), kind="edge", note="bias corrections close to 1"),
        Case(
            "weight-decay-0.1-lr-0.01",
            {**_state(fixed, (4, 3), 3), "lr": 1e-2, "weight_decay": 0.1},
            kind="edge",
            note="decoupled decay: param * (1 - lr * weight_decay), not weight_decay * param added to grad",
        ),
        Case(
            "no-weight-decay",
            {**_state(fixed, (7,), 4), "weight_decay": 0.0},
            kind="edge",
            note="weight_decay = 0: plain Adam",
        ),
        Case(
            "tiny-grad-eps-matters",
            {**_state(fixed, (6,), 1, grad_scale=1e-8, fresh=True)},
            kind="edge",
            note="|grad| ~ eps: eps is added after sqrt(v_hat), not inside it or before bias correction",
        ),
        Case("zero-grad", zero_grad, kind="edge", note="momentum still moves the parameter"),
        Case(
            "custom-betas",
            {**_state(fixed, (3, 4), 7), "lr": 3e-4, "beta1": 0.8, "beta2": 0.95, "eps": 1e-6, "weight_decay": 0.05},
            kind="edge",
        ),
        Case("matrix-param", _state(fixed, (5, 4), 2), kind="edge"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        shape = tuple(int(v) for v in rng.integers(1, 8, size=int(rng.integers(1, 3))))
        t = int(rng.integers(1, 200))
        extra = {"lr": float(rng.choice([1e-4, 1e-3, 1e-2])), "weight_decay": float(rng.choice([0.0, 0.01, 0.1]))}
        out.append(Case(f"random-{i}", {**_state(rng, shape, t, fresh=(t == 1)), **extra}, kind="random", seed=seed))
    return out


SPEC = ExerciseSpec(cases=cases, result_names=("param", "m", "v"))
