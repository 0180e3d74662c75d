"""Cases for `conv2d`: cross-correlation with stride and zero padding."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bigmodel_quiz.exercises.diagnose import checker
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def _inputs(rng, n, c, h, w, f, kh, kw, **extra) -> dict:
    return {
        "x": rng.normal(size=(n, c, h, w)),
        "w": rng.normal(size=(f, c, kh, kw)),
        "b": rng.normal(size=f),
        **extra,
    }


def cases(seed: int) -> list[Case]:
    """Square and non-square kernels, stride, padding, 1x1 kernels, and random configurations."""
    import numpy as np

    fixed = np.random.default_rng(7)
    out = [
        Case("basic-3x3", _inputs(fixed, 2, 3, 6, 6, 4, 3, 3), note="stride 1, no padding"),
        Case("non-square-kernel-2x3", _inputs(fixed, 1, 2, 5, 7, 3, 2, 3), kind="edge", note="KH != KW and H != W"),
        Case(
            "stride-2", _inputs(fixed, 2, 2, 7, 7, 3, 3, 3, stride=2), kind="edge",
            note="output size (H - KH) // stride + 1",
        ),
        Case("padding-1", _inputs(fixed, 1, 3, 5, 5, 2, 3, 3, padding=1), kind="edge", note="zero padding keeps 5x5"),
        Case(
            "stride-2-padding-2",
            _inputs(fixed, 2, 1, 6, 9, 2, 3, 2, stride=2, padding=2),
            kind="edge",
            note="output size (H + 2*padding - KH) // stride + 1",
        ),
        Case("kernel-1x1", _inputs(fixed, 2, 4, 3, 5, 3, 1, 1), kind="edge", note="a 1x1 kernel mixes channels only"),
        Case("kernel-1x1-stride-2", _inputs(fixed, 1, 2, 5, 4, 2, 1, 1, stride=2), kind="edge"),
        Case("kernel-covers-input", _inputs(fixed, 1, 2, 4, 3, 2, 4, 3), kind="edge", note="a 1x1 output"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        kh, kw = (int(v) for v in rng.integers(1, 5, size=2))
        stride, padding = int(rng.integers(1, 4)), int(rng.integers(0, 3))
        h, w = kh + int(rng.integers(0, 8)), kw + int(rng.integers(0, 8))
        n, c, f = (int(v) for v in rng.integers(1, 4, size=3))
        args = _inputs(rng, n, c, h, w, f, kh, kw, stride=stride, padding=padding)
        out.append(Case(f"random-{i}", args, kind="random", seed=seed))
    return [replace(c, note=_shapes(c.kwargs) + (f"; {c.note}" if c.note else ""), check=check) for c in out]


def _shapes(kwargs: dict[str, Any]) -> str:
    """x (N, C, H, W), w (F, C, KH, KW), stride and padding: what a failing case is about."""
    return (f"x {tuple(kwargs['x'].shape)}, w {tuple(kwargs['w'].shape)}, "
            f"stride={kwargs.get('stride', 1)}, padding={kwargs.get('padding', 0)}")


def _conv(x, w, b, stride=1, padding=0, *, flip=False, pads=None, dtype=None):
    """The reference computation, with knobs that reproduce the classic mistakes."""
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view

    if dtype is not None:
        x, w, b = x.astype(dtype), w.astype(dtype), b.astype(dtype)
    if flip:
        w = w[:, :, ::-1, ::-1]
    (top, bottom), (left, right) = pads if pads is not None else ((padding, padding), (padding, padding))
    xp = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    kh, kw = w.shape[2:]
    win = sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    return np.einsum("nchwij,fcij->nfhw", win, w) + b[None, :, None, None]


def _flipped(x, w, b, stride=1, padding=0):
    return _conv(x, w, b, stride, padding, flip=True)


def _shifted(before: bool):
    def variant(x, w, b, stride=1, padding=0):
        if not padding:
            return None
        both = 2 * padding
        pads = ((both, 0), (both, 0)) if before else ((0, both), (0, both))
        return _conv(x, w, b, stride, padding, pads=pads)

    return variant


def _float32(x, w, b, stride=1, padding=0):
    import numpy as np

    return _conv(x, w, b, stride, padding, dtype=np.float32).astype(np.float64)


MISTAKES = (
    ("the kernel is flipped: that is a true convolution; conv2d here (as in every deep-learning library) is "
     "cross-correlation, out[i, j] = Σ x[i·s + u, j·s + v] · w[u, v] with w as given", _flipped),
    ("the padding is all on the top/left (2·padding rows and columns there, none at the bottom/right): "
     "the windows are shifted; pad `padding` zeros on every side", _shifted(True)),
    ("the padding is all on the bottom/right: the windows are shifted; pad `padding` zeros on every side",
     _shifted(False)),
)
FLOAT32_RTOL = 1e-5


def check(case: Case, got: Any, expected: Any) -> str | None:
    """Compare, then name the mistake: a flipped kernel, shifted windows, or float32 rounding."""
    import numpy as np

    message = _checker(case, got, expected)
    if message is None or "\n" in message:  # right, or a known mistake was named
        return message
    try:
        close = np.allclose(np.asarray(got, dtype=np.float64), expected, rtol=FLOAT32_RTOL, atol=1e-6)
    except (TypeError, ValueError):
        close = False
    if close:
        rel = float(np.max(np.abs(np.asarray(got, dtype=np.float64) - expected) / np.maximum(np.abs(expected), 1e-12)))
        return (f"right to float32 precision only (max relative error {rel:.1g}, tolerance 1e-07): the sums are "
                f"accumulated in float32; keep the float64 inputs' precision (no .astype(np.float32), no dtype=float32)\n{message}")
    return message


_checker = checker(MISTAKES)


SPEC = ExerciseSpec(cases=cases)
