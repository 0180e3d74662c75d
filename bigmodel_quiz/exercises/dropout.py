"""Cases for `dropout`: graded by properties, since any correct dropout draws its own mask."""

from __future__ import annotations

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec


# Half-width of the accepted kept-count interval, in binomial standard deviations: a correct
# dropout fails a 5-sigma bound with probability about 6e-7 per case.
_Z = 5.0


def _nonzero(rng, shape):
    # No zeros in x, so that a 0 in the output always means "dropped".
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.5, 2.0, size=shape)


def cases(seed: int) -> list[Case]:
    """Eval mode and p = 0 (identity), several p in training on 20k elements, invalid p, random."""
    import numpy as np

    fixed = np.random.default_rng(19)
    shape = (100, 200)  # 20,000 elements: a tight binomial bound on the kept fraction

    def train(name, p, x, rng_seed, kind="deterministic", seed_=None, note=""):
        kwargs = {"x": x, "p": p, "training": True, "rng": np.random.default_rng(rng_seed)}
        return Case(name, kwargs, kind=kind, seed=seed_, mutable=("rng",), check=check_inverted_dropout, note=note)

    out = [
        Case(
            "eval-identity",
            {"x": _nonzero(fixed, (8, 16)), "p": 0.5, "training": False, "rng": np.random.default_rng(1)},
            kind="edge",
            mutable=("rng",),
            check=check_identity,
            note="training=False: dropout does nothing at inference",
        ),
        Case(
            "p-0-training-identity",
            {"x": _nonzero(fixed, (8, 16)), "p": 0.0, "training": True, "rng": np.random.default_rng(2)},
            kind="edge",
            mutable=("rng",),
            check=check_identity,
            note="p = 0 keeps everything and scales by 1/(1-0) = 1",
        ),
        train("p-0.5", 0.5, _nonzero(fixed, shape), 3),
        train("p-0.1", 0.1, _nonzero(fixed, shape), 4, kind="edge", note="kept with probability 1 - p = 0.9"),
        train("p-0.9", 0.9, _nonzero(fixed, shape), 5, kind="edge", note="kept with probability 0.1, scaled by 10"),
        train("3d-input-p-0.3", 0.3, _nonzero(fixed, (10, 40, 50)), 6, kind="edge"),
    ]
    for name, p in (("p-1-raises", 1.0), ("p-negative-raises", -0.1), ("p-1.5-raises", 1.5)):
        kwargs = {"x": _nonzero(fixed, (4, 4)), "p": p, "training": True, "rng": np.random.default_rng(7)}
        out.append(Case(name, kwargs, kind="edge", raises="ValueError", mutable=("rng",), note="p must be in [0, 1)"))

    rng = np.random.default_rng(seed)
    for i in range(2):
        p = float(rng.choice([0.2, 0.25, 0.4, 0.6, 0.75]))
        out.append(train(f"random-{i}-p-{p}", p, _nonzero(rng, shape), int(rng.integers(2**32)), kind="random", seed_=seed))
    return out


def _as_array(got, x):
    import numpy as np

    got = np.asarray(got)
    if got.shape != x.shape:
        return None, f"shape: expected {x.shape} (the shape of x), got {got.shape}"
    if not np.issubdtype(got.dtype, np.floating):
        return None, f"dtype: expected a floating array, got {got.dtype}"
    return got, None


def check_identity(case, got, expected) -> str | None:
    """training=False or p=0: the output equals x exactly."""
    import numpy as np

    x = case.kwargs["x"]
    got, problem = _as_array(got, x)
    if problem:
        return problem
    if not np.array_equal(got, x):
        idx = tuple(int(i) for i in np.argwhere(got != x)[0])
        return (
            f"identity expected (training={case.kwargs['training']}, p={case.kwargs['p']}): "
            f"the output must equal x, but at index {list(idx)} x={float(x[idx])!r} and got {float(got[idx])!r}"
        )
    return None


def check_inverted_dropout(case, got, expected) -> str | None:
    """Every element is 0 or x/(1-p), and the kept fraction is within a binomial bound of 1-p."""
    import numpy as np

    x, p = case.kwargs["x"], case.kwargs["p"]
    got, problem = _as_array(got, x)
    if problem:
        return problem
    if not np.isfinite(got).all():
        idx = tuple(int(i) for i in np.argwhere(~np.isfinite(got))[0])
        return f"NaN/Inf in the output at index {list(idx)}"
    scaled = x / (1.0 - p)
    kept = got != 0
    # x/(1-p) and x*(1/(1-p)) differ by a rounding error; anything larger is a wrong scale.
    wrong = kept & ~np.isclose(got, scaled, rtol=1e-12, atol=0.0)
    if wrong.any():
        idx = tuple(int(i) for i in np.argwhere(wrong)[0])
        ratio = got[idx] / x[idx]
        return (
            f"kept elements must be scaled by exactly 1/(1-p) = {1 / (1 - p):.6g} (inverted dropout); "
            f"at index {list(idx)} x={x[idx]:.6g}, got {got[idx]:.6g} (a factor of {ratio:.6g}); "
            "dropped elements must be exactly 0"
        )
    n = x.size
    k = int(kept.sum())
    mean, sd = n * (1 - p), (n * p * (1 - p)) ** 0.5
    lo, hi = mean - _Z * sd, mean + _Z * sd
    if not lo <= k <= hi:
        return (
            f"kept fraction {k / n:.4f} is outside the binomial bound [{lo / n:.4f}, {hi / n:.4f}] "
            f"for p={p}: each element must be kept with probability 1-p = {1 - p:.4g} "
            f"({k} of {n} kept)"
        )
    return None


SPEC = ExerciseSpec(cases=cases)
