"""Child side of cnn-build: build the submission's model, load the shared weights, run one batch.

Runs in the submission's process; nothing here computes an expected value or a verdict.
"""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises.child import models as tm

WEIGHT_SEED = 20240


def prepare(device: str) -> None:
    """Before the submission is imported: TF32 off and deterministic kernels on CUDA."""
    tm.prepare_torch(device)


def weights(shapes: list[tuple[int, ...]]) -> list[Any]:
    """Parameter ``i`` of the given shape, from a generator seeded by its position (scaled by fan-in)."""
    import numpy as np

    out = []
    for i, shape in enumerate(shapes):
        fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else 16
        out.append((tm.rng(WEIGHT_SEED, i).standard_normal(shape) / np.sqrt(fan_in)).astype("float32"))
    return out


def set_weights(model: Any) -> None:
    """The shared weights loaded into the model's parameters, in order."""
    import torch

    params = list(model.parameters())
    with torch.no_grad():
        for p, w in zip(params, weights([tuple(p.shape) for p in params])):
            p.copy_(torch.as_tensor(w))


def input_batch(kwargs: dict[str, Any]) -> Any:
    return tm.rng(kwargs["input_seed"], 3).standard_normal((kwargs["batch"], 3, 32, 32)).astype("float32")


def device_batch(kwargs: dict[str, Any], device: str) -> Any:
    return tm.tensor(input_batch(kwargs), device)


def logits(model: Any, x: Any, train: bool) -> list:
    import torch

    model.train(train)
    torch.manual_seed(0)
    with torch.no_grad():
        return model(x).float().cpu().numpy().tolist()


def run(entry: Any, kwargs: dict[str, Any], device: str) -> dict[str, Any]:
    """Build the model, move it to the device, run one batch through it."""
    import torch

    torch.manual_seed(0)
    call = {"num_classes": kwargs["num_classes"]} if "num_classes" in kwargs else {}
    model = entry(**call)
    if not isinstance(model, torch.nn.Module):
        return {"problem": f"build_cnn must return a torch.nn.Module, got {type(model).__name__}"}
    model = model.to(device)
    params = list(model.parameters())
    x = device_batch(kwargs, device)
    model.eval()
    with torch.no_grad():
        out = model(x)
    if not isinstance(out, torch.Tensor):
        return {"problem": f"the model's forward must return a tensor, got {type(out).__name__}"}
    if out.device.type != device:
        return {"problem": f"the output is on {out.device.type}, but the model and input are on {device}"}
    convs = [m for m in model.modules() if isinstance(m, torch.nn.Conv2d)]
    functional: dict[str, Any] = {}
    try:
        set_weights(model)
        functional = {"eval": logits(model, x, train=False), "train": logits(model, x, train=True)}
    except Exception as exc:  # a model whose parameters do not fit the layout: the count check names it
        functional = {"functional_error": f"{type(exc).__name__}: {exc}"[:300]}
    return {
        **functional,
        "modules": [type(m).__name__ for m in model.modules()],
        "paddings": [m.padding if isinstance(m.padding, str) else list(m.padding) for m in convs],
        "pools": sum(isinstance(m, (torch.nn.MaxPool2d, torch.nn.AvgPool2d)) for m in model.modules()),
        "n_params": sum(p.numel() for p in params),
        "shapes": [list(p.shape) for p in params],
        "out_shape": list(out.shape),
        "finite": bool(torch.isfinite(out).all()),
        "floating": bool(out.is_floating_point()),
    }
