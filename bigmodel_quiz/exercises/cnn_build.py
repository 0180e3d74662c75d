"""cnn-build: the classic three-block CNN for 32×32 images, checked by its parameters and by what it computes.

Parameter counts cannot tell MaxPool from AvgPool, or a missing ReLU: both sides load
the same deterministic weights by parameter order (the submission in its process, the
reference layout here) and the logits of a fixed batch are compared, in eval mode and
again in train mode (the layout has no Dropout or BatchNorm, so both must agree).
"""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises.child.cnn_build import weights, input_batch
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


# conv 3×3 without padding then pool 2×2: 32 → 30 → 15 → 13 → 6 → 4 → 2
CONV_SHAPES = [(32, 3, 3, 3), (64, 32, 3, 3), (128, 64, 3, 3)]
FEATURES = 128 * 2 * 2
RTOL, ATOL = 1e-4, 1e-5
# Layers the layout does not have, named when the logits differ.
FOREIGN = ("AvgPool2d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "Sigmoid", "Tanh", "GELU", "LeakyReLU", "ELU",
           "SiLU", "Softmax", "LogSoftmax", "Dropout", "Dropout2d")


def expected_params(num_classes: int) -> int:
    """Parameters of the catalog's layout: 160,202 for 10 classes."""
    convs = sum(o * i * kh * kw + o for o, i, kh, kw in CONV_SHAPES)
    return convs + (FEATURES * 128 + 128) + (128 * num_classes + num_classes)


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


def expected(case: Case) -> dict[str, Any]:
    """Grader side, in NumPy (the grader never imports torch): the layout's logits with the shared weights."""
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view

    classes = case.kwargs.get("num_classes", 10)
    shapes: list[tuple[int, ...]] = []
    for o, i, kh, kw in CONV_SHAPES:
        shapes += [(o, i, kh, kw), (o,)]
    shapes += [(128, FEATURES), (128,), (classes, 128), (classes,)]
    w = [p.astype(np.float64) for p in weights(shapes)]
    x = input_batch(case.kwargs).astype(np.float64)
    for k in range(3):
        windows = sliding_window_view(x, (3, 3), axis=(2, 3))  # (N, C, H-2, W-2, 3, 3)
        x = np.einsum("nchwij,ocij->nohw", windows, w[2 * k]) + w[2 * k + 1][None, :, None, None]
        x = np.maximum(x, 0.0)
        n, c, h, wd = x.shape
        x = x[:, :, : h // 2 * 2, : wd // 2 * 2].reshape(n, c, h // 2, 2, wd // 2, 2).max(axis=(3, 5))
    x = x.reshape(x.shape[0], -1)
    x = np.maximum(x @ w[6].T + w[7], 0.0)
    return {"logits": (x @ w[8].T + w[9]).tolist()}


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
    if expected_value is None or "eval" not in got:
        return None
    return _compare(got, expected_value["logits"])


def _compare(got: Any, want: list) -> str | None:
    """Same weights, same batch: the logits must be the reference layout's, in eval and in train mode."""
    import numpy as np

    ref = np.asarray(want, dtype=np.float64)
    modules = [str(m) for m in got.get("modules", [])]
    foreign = [m for m in FOREIGN if m in modules]
    for mode in ("eval", "train"):
        have = np.asarray(got[mode], dtype=np.float64)
        if have.shape == ref.shape and np.allclose(have, ref, rtol=RTOL, atol=ATOL):
            continue
        err = float(np.max(np.abs(have - ref))) if have.shape == ref.shape else float("nan")
        where = (f"with the same weights loaded by parameter order, the logits differ from the layout's "
                 f"(max abs error {err:.3g})")
        if mode == "train":
            drop = [m for m in foreign if m.startswith("Dropout")] or ["a layer that behaves differently in training"]
            return (f"in train mode {where}, although eval mode matches: {', '.join(drop)} "
                    f"is not part of the layout (conv → ReLU → MaxPool ×3, Linear → ReLU → Linear)")
        return f"{where}{_layer_hint(modules, foreign)}"
    return None


def _layer_hint(modules: list[str], foreign: list[str]) -> str:
    hints = []
    if any(m in foreign for m in ("AvgPool2d", "AdaptiveAvgPool2d")):
        hints.append("AvgPool2d averages where the layout takes the maximum (MaxPool2d 2×2)")
    acts = [m for m in foreign if m in ("Sigmoid", "Tanh", "GELU", "LeakyReLU", "ELU", "SiLU", "Softmax", "LogSoftmax")]
    if acts:
        hints.append(f"{', '.join(acts)} where the layout uses ReLU")
    relus = modules.count("ReLU")
    if relus and relus < 4 and not acts:
        hints.append(f"{relus} ReLU layer{'s' if relus > 1 else ''}, the layout has 4 (after each conv and after the hidden Linear)")
    elif not relus and not acts:
        hints.append("no ReLU module: the layout has a ReLU after each conv and after the hidden Linear")
    return ": " + "; ".join(hints) if hints else ": check each block's order (Conv2d → ReLU → MaxPool2d) and the head"


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


SPEC = ExerciseSpec(cases=cases, timeout=20, child="cnn_build", expected=expected)
