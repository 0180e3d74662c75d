"""cnn-build: the classic three-block CNN for 32×32 images, checked by its parameters and output."""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises import torch_models as tm
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


# conv 3×3 without padding then pool 2×2: 32 → 30 → 15 → 13 → 6 → 4 → 2
CONV_SHAPES = [(32, 3, 3, 3), (64, 32, 3, 3), (128, 64, 3, 3)]
FEATURES = 128 * 2 * 2


def expected_params(num_classes: int) -> int:
    """Parameters of the catalog's layout: 160,202 for 10 classes."""
    convs = sum(o * i * kh * kw + o for o, i, kh, kw in CONV_SHAPES)
    return convs + (FEATURES * 128 + 128) + (128 * num_classes + num_classes)


def prepare(device: str) -> None:
    """Child side, before the submission is imported: TF32 off and deterministic kernels on CUDA."""
    tm.prepare_torch(device)


def cases(seed: int) -> list[Case]:
    """The default build, other class counts, a batch of one, a random batch."""
    spec = [
        ("default-10-classes", "deterministic", None, 4),
        ("2-classes", "deterministic", 2, 3),
        ("100-classes", "edge", 100, 2),
        ("batch-of-1", "edge", 10, 1),
        ("random-batch", "random", 7, 5),
    ]
    out = []
    for name, kind, classes, batch in spec:
        kwargs: dict[str, Any] = {"batch": batch, "input_seed": seed if kind == "random" else 0}
        if classes is not None:
            kwargs["num_classes"] = classes
        out.append(Case(name=name, kwargs=kwargs, kind=kind, seed=seed if kind == "random" else None,
                        check=check_cnn, note=f"build_cnn({'' if classes is None else classes}) on a ({batch}, 3, 32, 32) batch"))
    return out


def run_case(entry: Any, kwargs: dict[str, Any], device: str) -> dict[str, Any]:
    """Child side: build the model, move it to the device, run one batch through it."""
    import torch

    torch.manual_seed(0)
    call = {"num_classes": kwargs["num_classes"]} if "num_classes" in kwargs else {}
    model = entry(**call)
    if not isinstance(model, torch.nn.Module):
        return {"problem": f"build_cnn must return a torch.nn.Module, got {type(model).__name__}"}
    model = model.to(device)
    params = list(model.parameters())
    x = tm.tensor(tm.rng(kwargs["input_seed"], 3).standard_normal((kwargs["batch"], 3, 32, 32)).astype("float32"), device)
    model.eval()
    with torch.no_grad():
        out = model(x)
    if not isinstance(out, torch.Tensor):
        return {"problem": f"the model's forward must return a tensor, got {type(out).__name__}"}
    if out.device.type != device:
        return {"problem": f"the output is on {out.device.type}, but the model and input are on {device}"}
    convs = [m for m in model.modules() if isinstance(m, torch.nn.Conv2d)]
    return {
        "paddings": [m.padding if isinstance(m.padding, str) else list(m.padding) for m in convs],
        "pools": sum(isinstance(m, (torch.nn.MaxPool2d, torch.nn.AvgPool2d)) for m in model.modules()),
        "n_params": sum(p.numel() for p in params),
        "shapes": [list(p.shape) for p in params],
        "out_shape": list(out.shape),
        "finite": bool(torch.isfinite(out).all()),
        "floating": bool(out.is_floating_point()),
    }


def check_cnn(case: Case, got: Any, expected_value: Any) -> str | None:
    """Parameter count (with the layer at fault), then output shape and values."""
    if got.get("problem"):
        return str(got["problem"])
    classes = case.kwargs.get("num_classes", 10)
    want = expected_params(classes)
    n = int(got["n_params"])
    if n != want:
        return f"expected {want:,} parameters for {classes} classes, got {n:,} ({n - want:+,}){_diagnose(got)}"
    shape = [int(s) for s in got["out_shape"]]
    if shape != [case.kwargs["batch"], classes]:
        return f"output shape {tuple(shape)}, expected {(case.kwargs['batch'], classes)} (N, num_classes)"
    if not got["floating"]:
        return "the output must be floating-point logits"
    if not got["finite"]:
        return "the output holds NaN or Inf"
    return None


def _diagnose(got: Any) -> str:
    shapes = [tuple(int(d) for d in s) for s in got["shapes"]]
    convs = [s for s in shapes if len(s) == 4]
    linears = [s for s in shapes if len(s) == 2]
    for i, (have, want) in enumerate(zip(convs, CONV_SHAPES)):
        if have != want:
            return f": conv {i + 1} weight is {have}, expected {want} (out, in, 3, 3)"
    if len(convs) != 3:
        return f": found {len(convs)} convolution weights, expected 3"
    if not linears or linears[0][1] == FEATURES:
        return f": the hidden Linear has {linears[0][0]} units, expected 128" if linears and linears[0][0] != 128 else ""
    feats = linears[0][1]
    why = ""
    padded = [i + 1 for i, pad in enumerate(got.get("paddings", [])) if pad not in ([0, 0], "valid")]
    if padded:
        why = (f"; conv {', '.join(map(str, padded))} use{'s' if len(padded) == 1 else ''} padding "
               f"{got['paddings'][padded[0] - 1]}, which keeps 32→32 instead of 32→30: the layout asks for no padding")
    elif 0 < int(got.get("pools", 3)) < 3:
        why = f"; the model has {got['pools']} pooling layers, the layout has one per block (3)"
    return (f": the first Linear takes {feats} features, expected {FEATURES} = 128×2×2 "
            f"(3×3 convolutions without padding and 2×2 pools: 32→30→15→13→6→4→2){why}")


SPEC = ExerciseSpec(cases=cases, timeout=20, prepare=prepare, run=run_case)
