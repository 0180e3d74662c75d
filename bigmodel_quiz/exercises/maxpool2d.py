"""Cases for `maxpool2d`: max pooling without padding, partial windows dropped."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bigmodel_quiz.exercises.diagnose import checker
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def cases(seed: int) -> list[Case]:
    """Default stride, odd sizes, overlapping windows, all-negative input, random configurations."""
    import numpy as np

    fixed = np.random.default_rng(11)
    out = [
        Case(
            "basic-2x2", {"x": fixed.normal(size=(2, 3, 4, 6)), "kernel_size": 2},
            note="stride defaults to kernel_size",
        ),
        Case(
            "odd-size-windows-dropped",
            {"x": fixed.normal(size=(1, 2, 5, 7)), "kernel_size": 2},
            kind="edge",
            note="5x7 with 2x2 windows: the last row and column fit no window and are dropped",
        ),
        Case("overlapping-stride-1", {"x": fixed.normal(size=(2, 1, 5, 5)), "kernel_size": 3, "stride": 1}, kind="edge"),
        Case("kernel-3-stride-2", {"x": fixed.normal(size=(1, 2, 7, 8)), "kernel_size": 3, "stride": 2}, kind="edge"),
        Case(
            "stride-larger-than-kernel",
            {"x": fixed.normal(size=(1, 1, 9, 9)), "kernel_size": 2, "stride": 3},
            kind="edge",
            note="windows skip elements",
        ),
        Case(
            "explicit-stride-none",
            {"x": fixed.normal(size=(1, 2, 6, 6)), "kernel_size": 3, "stride": None},
            kind="edge",
        ),
        Case(
            "negative-inputs",
            {"x": -1.0 - np.abs(fixed.normal(size=(2, 2, 4, 4))), "kernel_size": 2},
            kind="edge",
            note="every value < 0: a running max must not start at 0",
        ),
        Case("kernel-1-identity", {"x": fixed.normal(size=(1, 2, 3, 3)), "kernel_size": 1}, kind="edge"),
        Case("kernel-covers-input", {"x": fixed.normal(size=(2, 3, 4, 4)), "kernel_size": 4}, kind="edge"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        k = int(rng.integers(1, 5))
        stride = int(rng.integers(1, 5)) if rng.integers(2) else None
        shape = (int(rng.integers(1, 4)), int(rng.integers(1, 4)), k + int(rng.integers(0, 9)), k + int(rng.integers(0, 9)))
        args = {"x": rng.normal(size=shape) - 0.5, "kernel_size": k, "stride": stride}
        out.append(Case(f"random-{i}", args, kind="random", seed=seed))
    return [replace(c, note=_shapes(c.kwargs) + (f"; {c.note}" if c.note else ""), check=_check) for c in out]


def _shapes(kwargs: dict[str, Any]) -> str:
    return f"x {tuple(kwargs['x'].shape)}, kernel_size={kwargs['kernel_size']}, stride={kwargs.get('stride')}"


def _pool(x, kernel_size, stride=None, *, start=None, ceil=False, shift=0):
    """The reference computation, with knobs that reproduce the classic mistakes."""
    import numpy as np

    stride = stride or kernel_size
    n, c, h, w = x.shape
    h, w = h - shift, w - shift
    oh = -(-(h - kernel_size) // stride) + 1 if ceil else (h - kernel_size) // stride + 1
    ow = -(-(w - kernel_size) // stride) + 1 if ceil else (w - kernel_size) // stride + 1
    if oh < 1 or ow < 1:
        return None
    out = np.full((n, c, oh, ow), -np.inf if start is None else start)
    for i in range(oh):
        for j in range(ow):
            win = x[:, :, shift + i * stride: shift + i * stride + kernel_size, shift + j * stride: shift + j * stride + kernel_size]
            out[:, :, i, j] = np.maximum(out[:, :, i, j], win.max(axis=(2, 3)))
    return out


MISTAKES = (
    ("the running maximum starts at 0: with negative inputs it returns 0; start from -inf (or the first value)",
     lambda x, kernel_size, stride=None: _pool(x, kernel_size, stride, start=0.0)),
    ("stride 1 was used: stride defaults to kernel_size (non-overlapping windows)",
     lambda x, kernel_size, stride=None: _pool(x, kernel_size, 1) if stride is None and kernel_size > 1 else None),
    ("the stride argument was ignored (windows moved by kernel_size): use the given stride",
     lambda x, kernel_size, stride=None: _pool(x, kernel_size, kernel_size) if stride and stride != kernel_size else None),
    ("partial windows at the edge were kept (ceil mode): windows that do not fit are dropped",
     lambda x, kernel_size, stride=None: _pool(x, kernel_size, stride, ceil=True)),
    ("the windows start one element late (off by one): the first window covers x[..., 0:k, 0:k]",
     lambda x, kernel_size, stride=None: _pool(x, kernel_size, stride, shift=1)),
)
_check = checker(MISTAKES)


SPEC = ExerciseSpec(cases=cases)
