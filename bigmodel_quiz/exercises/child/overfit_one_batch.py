"""Child side of overfit-one-batch: a fresh model and batch on the device, trained by the submission.

Runs in the submission's process; nothing here computes an expected value or a verdict.
"""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises.child import models as tm

D_IN, HIDDEN = 20, 64


def prepare(device: str) -> None:
    """Before the submission is imported: TF32 off and deterministic kernels on CUDA."""
    tm.prepare_torch(device)


def inputs(kwargs: dict[str, Any]) -> tuple[Any, Any, Any]:
    layers = tm.mlp_init(kwargs["model_seed"], [D_IN, HIDDEN, kwargs["classes"]])
    x, y = tm.classification_batch(kwargs["model_seed"], kwargs["batch"], D_IN, kwargs["classes"])
    return layers, x, y


def run(entry: Any, kwargs: dict[str, Any], device: str) -> dict[str, Any]:
    """Hand the submission a fresh model and batch on the device."""
    import torch

    layers, x, y = inputs(kwargs)
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
