"""Cases for `conv2d`: cross-correlation with stride and zero padding."""

from __future__ import annotations

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
        out.append(Case(f"random-{i}", args, kind="random", seed=seed, note=f"stride={stride}, padding={padding}"))
    return out


SPEC = ExerciseSpec(cases=cases)
