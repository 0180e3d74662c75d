"""Cases for `int4-group-quant`: per-group asymmetric 4-bit codes over [min(g, 0), max(g, 0)]."""

from __future__ import annotations

from bigmodel_quiz.exercises.diagnose import mismatch, recognise
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

NAMES = ("q", "scales", "zeros")


def _quant(w, group_size, *, no_zero=False, offset_first=False, half_up=False, levels=15, symmetric=False, per_row=False):
    """Group quantisation with knobs for the classic mistakes (defaults: the contract)."""
    import numpy as np

    n = w.shape[-1]
    size = n if per_row else group_size
    g = w.reshape(*w.shape[:-1], n // size, size).astype(np.float64)
    rnd = (lambda v: np.floor(v + 0.5)) if half_up else np.round
    if symmetric:
        scale = np.abs(g).max(-1) / 7.0
        scale = np.where(scale > 0, scale, 1.0)
        zero = np.full(scale.shape, 8.0)
    else:
        lo, hi = g.min(-1), g.max(-1)
        if not no_zero:
            lo, hi = np.minimum(lo, 0.0), np.maximum(hi, 0.0)
        span = hi - lo
        scale = np.where(span > 0, span / levels, 1.0)
        zero = rnd(-lo / scale)
    if offset_first:  # codes measured from the minimum: round((g − min)/scale)
        q = np.clip(rnd((g - g.min(-1, keepdims=True)) / scale[..., None]), 0, 15)
    else:
        q = np.clip(rnd(g / scale[..., None]) + zero[..., None], 0, 15)
    if per_row:
        scale = np.repeat(scale, n // group_size, axis=-1)
        zero = np.repeat(zero, n // group_size, axis=-1)
    return q.reshape(w.shape).astype(np.uint8), scale, np.clip(zero, 0, 255).astype(np.uint8)


def _variant(**knobs):
    def run(w, group_size):
        return _quant(w, group_size, **knobs)

    return run


MISTAKES = (
    ("the range does not include 0: it must be [min(g, 0), max(g, 0)], so that 0 is exactly representable"
     " (zero-padding, ReLU outputs) and zero = round(−min/scale) stays inside 0…15; with [min(g), max(g)] a group"
     " of all-positive values gets a negative zero point", _variant(no_zero=True)),
    ("the range does not include 0: codes were measured from min(g) over [min(g), max(g)]; the range must be"
     " [min(g, 0), max(g, 0)] so that 0 is exactly representable and the zero point stays inside 0…15",
     _variant(no_zero=True, offset_first=True)),
    ("rounding half away from zero (floor(x + 0.5)); the contract rounds half to even, as np.round does",
     _variant(half_up=True)),
    ("scale = range/16: 4 bits give 16 codes 0…15, i.e. 15 steps, so scale = range/15", _variant(levels=16)),
    ("symmetric quantisation (scale = max|g|/7, zero 8); this exercise is asymmetric: the range"
     " [min(g, 0), max(g, 0)] maps onto 0…15", _variant(symmetric=True)),
    ("one scale per row instead of one per group of group_size consecutive values", _variant(per_row=True)),
)


def _codes_and_scales(variant):
    def run(w, group_size):
        return tuple(variant(w, group_size)[:2])

    return run


_BY_CODES = tuple((label, _codes_and_scales(variant)) for label, variant in MISTAKES)


def check_quant(case: Case, got, expected) -> str | None:
    """dtypes (uint8 codes and zeros), then the values; a wrong result is matched against the known mistakes."""
    import numpy as np

    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return f"expected a tuple (q, scales, zeros), got a {type(got).__name__}"
    problem = mismatch(tuple(expected), tuple(got), 1e-9, 1e-12, NAMES)
    if problem is not None:
        label = recognise(case, tuple(got)[:2], _BY_CODES, 1e-9, 1e-12)  # zeros: however a wrong one was cast
        return problem if label is None else f"{label}\n{problem}"
    for name, part in zip(NAMES, got):
        want = np.float64 if name == "scales" else np.uint8
        if np.asarray(part).dtype != want:
            return f"{name}: dtype must be {np.dtype(want).name}, got {np.asarray(part).dtype}"
    return None


def cases(seed: int) -> list[Case]:
    """Mixed signs, all-positive and all-negative groups, a zero group, exact halves, 1-D to 3-D, invalid sizes."""
    import numpy as np

    fixed = np.random.default_rng(404)
    c = check_quant
    positive = np.abs(fixed.normal(size=(2, 8))) + 0.5
    halves = np.array([[0.5, 1.5, 2.5, -3.0, 12.0, 3.5, -2.5, 0.0]])  # range 15: scale 1, exact halves
    out = [
        Case("mixed-signs", {"w": fixed.normal(size=(4, 16)), "group_size": 8}, check=c,
             note="w (4, 16), groups of 8: two groups per row"),
        Case("group-32", {"w": fixed.normal(size=(2, 64)) * 0.02, "group_size": 32}, check=c,
             note="weight-like magnitudes, groups of 32"),
        Case("all-positive", {"w": positive, "group_size": 4}, kind="edge", check=c,
             note="every value > 0: the range starts at 0, zero = 0"),
        Case("all-negative", {"w": -positive, "group_size": 4}, kind="edge", check=c,
             note="every value < 0: the range ends at 0, zero = 15"),
        Case("zero-group", {"w": np.concatenate([np.zeros((2, 4)), fixed.normal(size=(2, 4))], 1), "group_size": 4},
             kind="edge", check=c, note="a group of zeros: range 0, scale 1.0, every code = zero"),
        Case("exact-halves", {"w": halves, "group_size": 8}, kind="edge", check=c,
             note="scale 1 and values x.5: round half to even (0.5 → 0, 1.5 → 2, 2.5 → 2)"),
        Case("one-dimensional", {"w": fixed.normal(size=12), "group_size": 3}, kind="edge", check=c,
             note="w (12,): scales and zeros of shape (4,)"),
        Case("three-dimensional", {"w": fixed.normal(size=(2, 3, 8)), "group_size": 4}, kind="edge", check=c,
             note="w (2, 3, 8): scales (2, 3, 2)"),
        Case("group-size-1", {"w": fixed.normal(size=(3, 2)), "group_size": 1}, kind="edge", check=c,
             note="every value its own group: 0 or 15 codes, exact recovery"),
        Case("group-size-zero", {"w": fixed.normal(size=(2, 4)), "group_size": 0}, kind="edge", raises="ValueError",
             note="group_size < 1"),
        Case("not-divisible", {"w": fixed.normal(size=(2, 10)), "group_size": 4}, kind="edge", raises="ValueError",
             note="10 values per row do not split into groups of 4"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        group = int(rng.choice([1, 2, 4, 8, 16]))
        lead = tuple(int(v) for v in rng.integers(1, 5, size=int(rng.integers(0, 3))))
        shape = lead + (group * int(rng.integers(1, 5)),)
        w = rng.normal(loc=float(rng.choice([0.0, 2.0])), size=shape) * float(rng.choice([0.01, 1.0, 30.0]))
        out.append(Case(f"random-{i}", {"w": w, "group_size": group}, kind="random", seed=seed, check=c,
                        note=f"w {shape}, groups of {group}"))
    return out


SPEC = ExerciseSpec(cases=cases, result_names=NAMES)
