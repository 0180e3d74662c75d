"""overfit-one-batch: the sanity check every training loop should pass first."""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises import torch_models as tm
from bigmodel_quiz.exercises.child.overfit_one_batch import D_IN, HIDDEN, inputs
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


MAX_RATIO = 0.05


def cases(seed: int) -> list[Case]:
    """A small batch with the default steps, a batch of one, a larger batch, a random one."""
    spec = [
        ("default-steps", "deterministic", 16, 5, None, 1),
        ("batch-of-1", "edge", 1, 5, 50, 2),
        ("batch-of-64-10-classes", "edge", 64, 10, 200, 3),
        ("random-batch", "random", 32, 10, 200, seed),
    ]
    return [
        Case(name, {"batch": n, "classes": c, "model_seed": s, **({} if steps is None else {"steps": steps})},
             kind=kind, seed=seed if kind == "random" else None, check=check_overfit,
             note=f"MLP {D_IN}→{HIDDEN}→{c} on a batch of {n}, steps={steps or 200}")
        for name, kind, n, c, steps, s in spec
    ]


def check_overfit(case: Case, got: Any, expected_value: Any) -> str | None:
    """Loss of every step, a true first loss, < 5 % at the end, 100 % batch accuracy."""
    import numpy as np

    if got.get("problem"):
        return str(got["problem"])
    steps = case.kwargs.get("steps", 200)
    losses = np.asarray(got["losses"], dtype=np.float64).reshape(-1)
    if len(losses) != steps:
        return f"returned {len(losses)} losses for steps={steps}: return the loss of every step"
    if not np.all(np.isfinite(losses)):
        return f"loss is NaN or Inf at step {int(np.argmin(np.isfinite(losses)))}"
    layers, x, y = inputs(case.kwargs)
    first = tm.cross_entropy_np(tm.mlp_forward_np(layers, x, "relu")[0], y)
    if abs(losses[0] - first) > 1e-3 * max(1.0, first):
        return (f"the first loss is {losses[0]:.4f}, but the untrained model's cross-entropy on the batch is {first:.4f}: "
                "record each step's cross-entropy (nn.CrossEntropyLoss on the logits) before its update")
    ratio = losses[-1] / losses[0]
    if ratio >= MAX_RATIO:
        return f"final loss {losses[-1]:.4g} is {ratio:.1%} of the first ({losses[0]:.4g}), needs < {MAX_RATIO:.0%}{_rises(losses)}"
    final = [(got[f"p{2 * i}"], got[f"p{2 * i + 1}"]) for i in range(len(layers))]
    logits = tm.mlp_forward_np(final, x, "relu")[0]
    acc = float((logits.argmax(axis=1) == y).mean())
    if acc < 1.0:
        return f"batch accuracy after training is {acc:.1%}, needs 100%"
    return None


def _rises(losses: Any) -> str:
    import numpy as np

    bumps = int((np.diff(losses) > 0.01 * losses[0]).sum())
    if bumps * 10 < len(losses):
        return ""
    return (f"; the loss rose at {bumps} of {len(losses) - 1} steps: gradients that are not reset each step "
            "(optimizer.zero_grad()) pile up and make training oscillate")


SPEC = ExerciseSpec(cases=cases, timeout=40, child="overfit_one_batch")
