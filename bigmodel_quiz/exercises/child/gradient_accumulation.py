"""Child side of gradient-accumulation: a fresh model, SGD optimizer and micro-batches on the device.

Runs in the submission's process; nothing here computes an expected value or a verdict.
"""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises.child import models as tm

D_IN, HIDDEN, D_OUT = 5, 16, 3


def prepare(device: str) -> None:
    """Before the submission is imported: TF32 off and deterministic kernels on CUDA."""
    tm.prepare_torch(device)


LR = 0.1


def inputs(kwargs: dict[str, Any]) -> tuple[list[tuple[Any, Any]], list[tuple[Any, Any]], list[Any]]:
    s = kwargs["data_seed"]
    layers = tm.mlp_init(s, [D_IN, HIDDEN, D_OUT])
    batches = [tm.regression_batch(s, kwargs["size"], D_IN, D_OUT, part=i) for i in range(kwargs["micro"])]
    gen = tm.rng(s, 23)
    stale = [gen.standard_normal(a.shape).astype("float32") for w, b in layers for a in (w, b)] if kwargs["stale"] else []
    return layers, batches, stale


def run(entry: Any, kwargs: dict[str, Any], device: str) -> dict[str, Any]:
    """A fresh model, SGD optimizer and micro-batches on the device."""
    import torch

    layers, batches, stale = inputs(kwargs)
    model = tm.mlp_module(layers, "tanh", device)
    for p, g in zip(model.parameters(), stale):
        p.grad = tm.tensor(g, device)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, **kwargs["opt"])
    micro = [(tm.tensor(x, device), tm.tensor(y, device)) for x, y in batches]
    try:
        loss = tm.to_plain(entry(model, optimizer, micro), device, "the returned loss")
    except tm.WrongDevice as exc:
        return {"problem": str(exc)}
    params = list(model.parameters())
    if any(p.device.type != device for p in params):
        return {"problem": f"the model's parameters left {device}: update them where they are"}
    try:
        loss = float(loss)
    except (TypeError, ValueError):
        return {"problem": f"return the batch's mean loss as a float, got {type(loss).__name__}"}
    return {"loss": loss, **{f"p{i}": p.detach().cpu().numpy() for i, p in enumerate(params)}}
