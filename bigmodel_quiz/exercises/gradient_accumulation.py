"""gradient-accumulation: one optimizer step from gradients summed over micro-batches."""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises import torch_models as tm
from bigmodel_quiz.exercises.child.gradient_accumulation import LR, inputs
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

RTOL, ATOL = 1e-5, 1e-6  # float32 parameters after one step; sums in another order stay far inside


def cases(seed: int) -> list[Case]:
    """Plain SGD, momentum, weight decay, one micro-batch, micro-batches of one, stale gradients."""
    import random

    r = random.Random(seed)
    spec = [
        ("4-micro-batches", "deterministic", 4, 8, {}, False, 1),
        ("sgd-momentum", "deterministic", 3, 6, {"momentum": 0.9}, False, 2),
        ("sgd-weight-decay", "deterministic", 2, 10, {"weight_decay": 0.05}, False, 3),
        ("one-micro-batch", "edge", 1, 16, {}, False, 4),
        ("micro-batches-of-1", "edge", 5, 1, {}, False, 5),
        ("stale-gradients", "edge", 3, 4, {}, True, 6),
        ("random", "random", r.randint(2, 6), r.randint(1, 8), {"momentum": r.choice([0.0, 0.9])}, False, seed),
    ]
    out = []
    for name, kind, k, m, opt, stale, s in spec:
        note = f"{k} micro-batches of {m}, SGD(lr=0.1{''.join(f', {a}={b}' for a, b in opt.items())})"
        if stale:
            note += "; the model arrives with gradients left from an earlier backward()"
        out.append(Case(name, {"micro": k, "size": m, "opt": opt, "stale": stale, "data_seed": s}, kind=kind,
                        seed=seed if kind == "random" else None, check=check_step, note=note))
    return out


def expected_step(kwargs: dict[str, Any]) -> tuple[float, list[Any], list[Any]]:
    """Parent side: (loss, params after one SGD step on the concatenated batch, full-batch grads)."""
    import numpy as np

    layers, batches, _ = inputs(kwargs)
    x = np.concatenate([b[0] for b in batches])
    y = np.concatenate([b[1] for b in batches])
    loss, grads = tm.mse_loss_and_grads(layers, x, y, "tanh")
    wd = kwargs["opt"].get("weight_decay", 0.0)
    params = [np.asarray(a, np.float64) for w, b in layers for a in (w, b)]
    flat_grads = [g for pair in grads for g in pair]
    # SGD's first step: momentum buffers start as the gradient itself, so momentum changes nothing yet
    new = [p - LR * (g + wd * p) for p, g in zip(params, flat_grads)]
    return loss, new, flat_grads


NAMES = ["0.weight", "0.bias", "2.weight", "2.bias"]


def check_step(case: Case, got: Any, expected_value: Any) -> str | None:
    """Parameters after the step and the returned loss, with the factor when the step is scaled."""
    import numpy as np

    if got.get("problem"):
        return str(got["problem"])
    kw = case.kwargs
    loss, new, grads = expected_step(kw)
    layers, _, stale = inputs(kw)
    start = [np.asarray(a, np.float64) for w, b in layers for a in (w, b)]
    wd = kw["opt"].get("weight_decay", 0.0)
    for i, name in enumerate(NAMES):
        have = np.asarray(got[f"p{i}"], np.float64)
        if have.shape != new[i].shape:  # checked first: an empty array is "close" to anything
            return f"after the step, parameter {name} has shape {have.shape}, expected {new[i].shape}"
        if np.allclose(have, new[i], rtol=RTOL, atol=ATOL):
            continue
        bad = np.unravel_index(np.argmax(np.abs(have - new[i]) - RTOL * np.abs(new[i])), have.shape)
        head = (f"after the step, parameter {name} is wrong at {list(map(int, bad))}: "
                f"expected {new[i][bad]:.6g}, got {have[bad]:.6g}")
        # the gradient the submission effectively used: p_new = p - lr (g + wd p)
        used = [(s - np.asarray(got[f"p{j}"], np.float64)) / LR - wd * s for j, s in enumerate(start)]
        return head + _diagnose(used, grads, stale, kw)
    got_loss = float(got["loss"])
    if np.isclose(got_loss, loss, rtol=RTOL, atol=ATOL):
        return None
    k, hint = kw["micro"], ""
    if k > 1 and np.isclose(got_loss, k * loss, rtol=1e-4):
        hint = f": that is the sum over the {k} micro-batches; return their mean"
    elif k > 1 and np.isclose(got_loss * k, loss, rtol=1e-4):
        hint = f": that is the mean divided by {k} again; return the batch's mean loss"
    elif k > 1 and np.isclose(got_loss, float(np.mean(_micro_losses(kw)[-1:])), rtol=1e-4):
        hint = ": that is the last micro-batch's loss only"
    return f"returned loss {got_loss:.6g}, expected the batch's mean loss {loss:.6g}{hint}"


def _micro_losses(kw: dict[str, Any]) -> list[float]:
    layers, batches, _ = inputs(kw)
    return [tm.mse_loss_and_grads(layers, x, y, "tanh")[0] for x, y in batches]


def _diagnose(used: list[Any], grads: list[Any], stale: list[Any], kw: dict[str, Any]) -> str:
    import numpy as np

    u = np.concatenate([a.ravel() for a in used])
    g = np.concatenate([a.ravel() for a in grads])
    if not np.any(u):
        return ": the parameters did not change; call optimizer.step() once after the backward passes"
    factor = float(u @ g / (g @ g))
    if np.allclose(u, factor * g, rtol=1e-3, atol=1e-5) and not np.isclose(factor, 1.0, rtol=1e-3):
        k = kw["micro"]
        if np.isclose(factor, k, rtol=1e-3):
            return (f"; the update is {factor:.2f}× the full-batch one ({k} micro-batches): summing micro-batch losses "
                    f"adds {k} gradients — divide each micro-batch loss by {k} before backward()")
        if np.isclose(factor, 1 / k, rtol=1e-3):
            return f"; the update is 1/{k} of the full-batch one: the micro-batch losses are divided by {k} twice"
        return f"; the update is {factor:.3g}× the full-batch one"
    if stale:
        s = np.concatenate([a.ravel().astype(np.float64) for a in stale])
        if np.allclose(u, g + s, rtol=1e-3, atol=1e-5):
            return ("; the gradients the model arrived with were added to the step: call optimizer.zero_grad() "
                    "before accumulating")
    return ("; one step on the concatenated batch is expected: backward() every micro-batch's loss divided by the "
            "number of micro-batches, then a single optimizer.step()")


SPEC = ExerciseSpec(cases=cases, timeout=20, rtol=RTOL, atol=ATOL, child="gradient_accumulation")
