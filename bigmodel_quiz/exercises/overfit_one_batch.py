"""overfit-one-batch: the sanity check every training loop should pass first."""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises import torch_models as tm
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


D_IN, HIDDEN = 20, 64
MAX_RATIO = 0.05


def prepare(device: str) -> None:
    """Child side, before the submission is imported: TF32 off and deterministic kernels on CUDA."""
    tm.prepare_torch(device)


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


def _inputs(kwargs: dict[str, Any]) -> tuple[Any, Any, Any]:
    layers = tm.mlp_init(kwargs["model_seed"], [D_IN, HIDDEN, kwargs["classes"]])
    x, y = tm.classification_batch(kwargs["model_seed"], kwargs["batch"], D_IN, kwargs["classes"])
    return layers, x, y


def run_case(entry: Any, kwargs: dict[str, Any], device: str) -> dict[str, Any]:
    """Child side: hand the submission a fresh model and batch on the device."""
    import torch

    layers, x, y = _inputs(kwargs)
    model = tm.mlp_module(layers, "relu", device)
    torch.manual_seed(kwargs["model_seed"])
    call = {"steps": kwargs["steps"]} if "steps" in kwargs else {}
    try:
        losses = tm.to_plain(entry(model, tm.tensor(x, device), tm.tensor(y, device), **call), device, "a returned loss")
    except tm.WrongDevice as exc:
        return {"problem": str(exc)}
    params = list(model.parameters())
    devices = sorted({p.device.type for p in params})
    if devices != [device]:
        return {"problem": f"after training the model's parameters are on {', '.join(devices)}, but the model was given on "
                           f"{device}: train it where it is (use x.device, never a hard-coded device)"}
    if not isinstance(losses, list):
        return {"problem": f"return a list of per-step losses, got {type(losses).__name__}"}
    flat = []
    for v in losses:
        try:
            flat.append(float(v))
        except (TypeError, ValueError):
            return {"problem": f"each loss must be a number (loss.item()), got {type(v).__name__}"}
    return {"losses": flat, **{f"p{i}": p.detach().cpu().numpy() for i, p in enumerate(params)}}


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
    layers, x, y = _inputs(case.kwargs)
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


SPEC = ExerciseSpec(cases=cases, timeout=40, prepare=prepare, run=run_case)
