"""kv-cache-decode: one attention step over a growing key/value cache, and a rollout from empty.

Single steps are compared with a NumPy twin computed here; the ``rollout`` cases run the
submission step by step from an empty cache (a trusted driver in the child) and compare
every step's output with full causal attention over the sequence.
"""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

RTOL, ATOL = 1e-7, 1e-9


def _weights(rng, d: int) -> dict[str, Any]:
    scale = 1.0 / d**0.5
    return {name: rng.normal(size=(d, d)) * scale for name in ("w_q", "w_k", "w_v")}


def _step_inputs(rng, b: int, t: int, d: int, spread: float = 1.0) -> dict[str, Any]:
    return {"x_t": rng.normal(size=(b, d)) * spread, **_weights(rng, d),
            "cache_k": rng.normal(size=(b, t, d)) * spread, "cache_v": rng.normal(size=(b, t, d))}


def cases(seed: int) -> list[Case]:
    """Empty and short caches, one batch row, large scores, rollouts from an empty cache."""
    import numpy as np

    fixed = np.random.default_rng(91)
    check = check_kv
    out = [
        Case("step-T-4", _step_inputs(fixed, 2, 4, 8), check=check, note="B=2, a cache of 4 positions, D=8"),
        Case("step-empty-cache", _step_inputs(fixed, 2, 0, 4), kind="edge", check=check,
             note="T = 0: the token attends only to itself"),
        Case("step-T-1-B-1", _step_inputs(fixed, 1, 1, 6), kind="edge", check=check),
        Case("step-D-64", _step_inputs(fixed, 1, 3, 64, spread=2.0), kind="edge", check=check,
             note="scale by 1/sqrt(D), not 1/D"),
        Case("step-large-scores", _step_inputs(fixed, 2, 5, 16, spread=30.0), kind="edge", check=check,
             note="scores ~1e3: subtract the max before exp"),
        Case("rollout-T-6", {"sequence": fixed.normal(size=(2, 6, 8)), **_weights(fixed, 8)}, check=check,
             note="6 steps from an empty cache must equal causal attention over the sequence"),
        Case("rollout-T-1", {"sequence": fixed.normal(size=(1, 1, 4)), **_weights(fixed, 4)}, kind="edge",
             check=check, note="one step from an empty cache"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(2):
        b, t, d = int(rng.integers(1, 4)), int(rng.integers(0, 9)), int(rng.integers(1, 5)) * 4
        out.append(Case(f"random-step-{i}", _step_inputs(rng, b, t, d), kind="random", seed=seed, check=check))
    b, t, d = int(rng.integers(1, 4)), int(rng.integers(2, 10)), int(rng.integers(1, 5)) * 4
    out.append(Case("random-rollout", {"sequence": rng.normal(size=(b, t, d)), **_weights(rng, d)}, kind="random",
                    seed=seed, check=check, note=f"{t} steps from an empty cache"))
    return out


# ----------------------------------------------------------------------------- grader side


def step_np(x_t: Any, w_q: Any, w_k: Any, w_v: Any, cache_k: Any, cache_v: Any, *, scale: str = "sqrt",
            append: bool = True, attend_new: bool = True) -> tuple[Any, Any, Any]:
    """The step as the statement defines it, and the classic slips (for diagnosis)."""
    import numpy as np

    d = x_t.shape[-1]
    q, k, v = x_t @ w_q, (x_t @ w_k)[:, None], (x_t @ w_v)[:, None]
    keys = np.concatenate([cache_k, k], axis=1) if attend_new else cache_k
    values = np.concatenate([cache_v, v], axis=1) if attend_new else cache_v
    div = {"sqrt": np.sqrt(d), "d": float(d), "none": 1.0}[scale]
    with np.errstate(all="ignore"):
        s = np.einsum("bd,btd->bt", q, keys) / div
        s = s - s.max(axis=-1, keepdims=True) if s.shape[-1] else s
        w = np.exp(s)
        w /= w.sum(axis=-1, keepdims=True)
        out = np.einsum("bt,btd->bd", w, values)
    if append:
        return out, np.concatenate([cache_k, k], axis=1), np.concatenate([cache_v, v], axis=1)
    return out, cache_k, cache_v


def causal_attention_np(seq: Any, w_q: Any, w_k: Any, w_v: Any) -> Any:
    """Full causal single-head attention over the sequence (B,T,D) in one pass."""
    import numpy as np

    t, d = seq.shape[1], seq.shape[2]
    q, k, v = seq @ w_q, seq @ w_k, seq @ w_v
    s = q @ np.swapaxes(k, 1, 2) / np.sqrt(d)
    s = np.where(np.triu(np.ones((t, t), bool), k=1), -np.inf, s)
    s -= s.max(axis=-1, keepdims=True)
    w = np.exp(s)
    w /= w.sum(axis=-1, keepdims=True)
    return w @ v


def _rollout_np(kw: dict[str, Any], **slip: Any) -> Any:
    import numpy as np

    seq = kw["sequence"]
    b, t, d = seq.shape
    ck, cv = np.zeros((b, 0, d)), np.zeros((b, 0, d))
    outs = []
    for step in range(t):
        out, ck, cv = step_np(seq[:, step], kw["w_q"], kw["w_k"], kw["w_v"], ck, cv, **slip)
        outs.append(out)
    return np.stack(outs, axis=1)


def _as_array(value: Any) -> Any:
    import numpy as np

    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return arr


def _mismatch(what: str, want: Any, got: Any) -> str | None:
    import numpy as np

    arr = _as_array(got)
    if arr is None:
        return f"{what} is not an array of numbers (got {type(got).__name__})"
    if arr.shape != want.shape:
        return f"{what} has shape {arr.shape}, expected {want.shape}"
    close = np.isclose(arr, want, rtol=RTOL, atol=ATOL)
    if close.all():
        return None
    idx = tuple(int(i) for i in np.argwhere(~close)[0])
    return (f"{what} wrong at {list(idx)}: expected {want[idx]:.8g}, got {arr[idx]:.8g} "
            f"({int((~close).sum())} of {close.size} values wrong)")


def _same(want: Any, got: Any) -> bool:
    import numpy as np

    arr = _as_array(got)
    return arr is not None and arr.shape == want.shape and bool(np.allclose(arr, want, rtol=1e-6, atol=1e-8, equal_nan=True))


SCALE_SLIPS = {
    "d": "the scores are divided by D instead of √D: the scale is 1/√D, which keeps q·k at unit variance",
    "none": "the scores are not scaled: divide q·k by √D before the softmax",
}


def check_kv(case: Case, got: Any, expected: Any) -> str | None:
    """One step (output and both caches) or a rollout (every step's output), with the slip named."""
    kw = case.kwargs
    if "sequence" in kw:
        return _check_rollout(kw, got)
    want = step_np(**kw)
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return f"attend_step must return a tuple (out, cache_k, cache_v), got {type(got).__name__}"
    t = kw["cache_k"].shape[1]
    for name, w, g in zip(("cache_k", "cache_v"), want[1:], got[1:]):
        arr = _as_array(g)
        if arr is not None and arr.shape == kw[name].shape:
            return (f"forgot to append: the returned {name} still has {t} positions, expected {t + 1}: concatenate "
                    "the new token's key and value to the cache along the time axis")
        problem = _mismatch(f"the new {name}", w, g)
        if problem:
            k_new = want[1][:, -1:] if name == "cache_k" else want[2][:, -1:]
            prepended = __import__("numpy").concatenate([k_new, kw[name]], axis=1)
            if _same(prepended, g):
                problem += "; the new position was put first: append it at the end (position T)"
            return problem
    problem = _mismatch("out", want[0], got[0])
    if problem is None:
        return None
    for scale, why in SCALE_SLIPS.items():
        if _same(step_np(**kw, scale=scale)[0], got[0]):
            return f"{problem}: {why}"
    if t and _same(step_np(**kw, attend_new=False)[0], got[0]):
        return (f"{problem}: the output attends over the old cache only: append the new key and value first, "
                "so the new token attends to itself as well")
    return problem


def _check_rollout(kw: dict[str, Any], got: Any) -> str | None:
    import numpy as np

    if not isinstance(got, dict):
        return f"the rollout driver got an unexpected result ({type(got).__name__})"
    if got.get("problem"):
        return str(got["problem"])
    want = causal_attention_np(kw["sequence"], kw["w_q"], kw["w_k"], kw["w_v"])
    b, t, d = kw["sequence"].shape
    outs = got.get("outputs") or []
    arrays = [_as_array(o) for o in outs]
    if any(a is None or a.shape != (b, d) for a in arrays):
        bad = next(i for i, a in enumerate(arrays) if a is None or a.shape != (b, d))
        return f"step {bad} of the rollout returned out of shape {getattr(arrays[bad], 'shape', None)}, expected {(b, d)}"
    stacked = np.stack(arrays, axis=1)
    problem = _mismatch("the rollout's outputs (B, step, D)", want, stacked)
    if problem is None:
        for name in ("cache_k", "cache_v"):
            arr = _as_array(got.get(name))
            if arr is None or arr.shape != (b, t, d):
                return (f"after {t} steps from an empty cache, {name} has shape {getattr(arr, 'shape', None)}, "
                        f"expected {(b, t, d)}: each step must return the cache with the new position appended")
        return None
    problem = f"{problem}: {t} steps from an empty cache must equal causal attention over the whole sequence"
    if _same(_rollout_np(kw, append=False), stacked):
        return problem + ("; forgot to append: each step attended only to its own token because the cache "
                          "never grew")
    for scale, why in SCALE_SLIPS.items():
        if _same(_rollout_np(kw, scale=scale), stacked):
            return f"{problem}; {why}"
    return problem


SPEC = ExerciseSpec(cases=cases, result_names=("out", "cache_k", "cache_v"), child="kv_cache_decode")
