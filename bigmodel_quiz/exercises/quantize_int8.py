"""Cases for `quantize-int8`: graded on dtype, range, scale and reconstruction error."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


def cases(seed: int) -> list[Case]:
    """Per-tensor and per-axis scales, negative axis, all-zero tensor and slice, random."""
    import numpy as np

    fixed = np.random.default_rng(37)
    with_zero_row = fixed.normal(size=(4, 6))
    with_zero_row[2] = 0.0
    check = check_quantized
    out = [
        Case("per-tensor-1d", {"x": fixed.normal(size=20)}, check=check),
        Case("per-tensor-2d", {"x": fixed.normal(size=(5, 7)) * 3.0, "axis": None}, check=check),
        Case(
            "per-row-axis-0",
            {"x": fixed.normal(size=(4, 8)) * np.array([[0.01], [1.0], [100.0], [5.0]]), "axis": 0},
            check=check,
            note="rows of very different ranges each get their own scale",
        ),
        Case(
            "per-column-axis-1",
            {"x": fixed.normal(size=(6, 3)) * np.array([0.1, 10.0, 1.0]), "axis": 1},
            kind="edge",
            check=check,
            note="scale has shape (x.shape[1],)",
        ),
        Case(
            "axis-minus-1", {"x": fixed.normal(size=(3, 5)), "axis": -1}, kind="edge", check=check,
            note="a negative axis counts from the end",
        ),
        Case("3d-axis-1", {"x": fixed.normal(size=(2, 4, 3)), "axis": 1}, kind="edge", check=check),
        Case(
            "all-zero-tensor",
            {"x": np.zeros((3, 4))},
            kind="edge",
            check=check,
            note="max|x| = 0: scale 1.0, not 0/127 (which would divide by zero)",
        ),
        Case(
            "all-zero-slice",
            {"x": with_zero_row, "axis": 0},
            kind="edge",
            check=check,
            note="row 2 is all zeros: its scale is 1.0",
        ),
        Case(
            "max-maps-to-127",
            {"x": np.array([-2.54, -1.0, 0.0, 0.01, 1.27, 2.54])},
            kind="edge",
            check=check,
            note="the largest magnitude maps to +/-127 exactly",
        ),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        ndim = int(rng.integers(1, 4))
        shape = tuple(int(v) for v in rng.integers(1, 9, size=ndim))
        axis = None if i == 0 else int(rng.integers(-ndim, ndim))
        x = rng.normal(size=shape) * float(rng.choice([0.01, 1.0, 50.0]))
        out.append(Case(f"random-{i}", {"x": x, "axis": axis}, kind="random", seed=seed, check=check, note=f"axis={axis}"))
    return out


def check_quantized(case, got, expected) -> str | None:
    """q is int8 in [-127, 127], scale equals max|x|/127, and |q*scale - x| <= scale/2."""
    import numpy as np

    x, axis = case.kwargs["x"], case.kwargs.get("axis")
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return f"expected a tuple (q, scale), got {type(got).__name__}"
    q, scale = np.asarray(got[0]), np.asarray(got[1])
    exp_scale = np.asarray(expected[1], dtype=float)
    if q.dtype != np.int8:
        return f"q must have dtype int8, got {q.dtype}"
    if q.shape != x.shape:
        return f"q shape: expected {x.shape} (the shape of x), got {q.shape}"
    if scale.shape != exp_scale.shape:
        want = "a float (axis=None)" if axis is None else f"shape {exp_scale.shape} (x.shape[axis])"
        return f"scale shape: expected {want}, got shape {scale.shape}"
    if not np.issubdtype(scale.dtype, np.floating) and not np.issubdtype(scale.dtype, np.integer):
        return f"scale must be a float, got {scale.dtype}"
    scale = scale.astype(float)
    if not np.isfinite(scale).all():
        bad = int(np.flatnonzero(~np.isfinite(scale.ravel()))[0])
        return f"scale has NaN/Inf at [{bad}] ({float(scale.ravel()[bad])!r}): an all-zero tensor or slice must get scale 1.0"
    if not np.allclose(scale, exp_scale, rtol=1e-9, atol=0.0):
        bad = np.flatnonzero(~np.isclose(scale, exp_scale, rtol=1e-9, atol=0.0).ravel())[0]
        return (
            f"scale wrong at [{int(bad)}]: expected {float(exp_scale.ravel()[bad])!r} (max|x|/127, or 1.0 for an all-zero slice), "
            f"got {float(scale.ravel()[bad])!r}"
        )
    if q.min(initial=0) < -127 or q.max(initial=0) > 127:
        return f"q must lie in [-127, 127] (symmetric: -128 is never used), got values in [{q.min()}, {q.max()}]"
    if axis is None:
        scale_b = scale
    else:
        shape = [1] * x.ndim
        shape[axis] = -1
        scale_b = scale.reshape(shape)
    err = np.abs(q.astype(float) * scale_b - x)
    limit = np.broadcast_to(scale_b / 2.0, x.shape) * (1.0 + 1e-9)
    if (err > limit).any():
        idx = tuple(int(i) for i in np.argwhere(err > limit)[0])
        return (
            f"reconstruction error too large at index {list(idx)}: |q*scale - x| = {err[idx]:.6g} "
            f"> scale/2 = {limit[idx] / (1 + 1e-9):.6g} (x={x[idx]:.6g}, q={int(q[idx])}); round x/scale to the nearest integer"
        )
    return None


SPEC = ExerciseSpec(cases=cases, result_names=("q", "scale"))
