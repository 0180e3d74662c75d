"""sampling-filters: temperature, top-k (ties kept) and top-p (crossing token kept), as one distribution.

Every case checks the properties first (shape, no negative probability, rows summing to
1), then the values against the reference, and names the classic slips by recomputing
them with :func:`probs_np`.
"""

from __future__ import annotations

from typing import Any

from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

RTOL, ATOL = 1e-7, 1e-9


def _c(name: str, logits: Any, kind: str = "deterministic", note: str = "", **kw: Any) -> Case:
    return Case(name, {"logits": logits, **kw}, kind=kind, check=check_probs, note=note)


def cases(seed: int) -> list[Case]:
    """Temperature, top-k with ties, top-p with the crossing token and ties, both together, bad arguments."""
    import numpy as np

    fixed = np.random.default_rng(53)
    log = np.log
    out = [
        _c("temperature-only", fixed.normal(size=(3, 8)), note="no filter: softmax(logits / 1)"),
        _c("temperature-0.5", fixed.normal(size=(2, 6)), temperature=0.5, note="sharper: divide by T < 1"),
        _c("temperature-2", fixed.normal(size=(2, 6)), temperature=2.0, note="flatter: divide by T > 1"),
        _c("top-k-3", fixed.normal(size=(3, 10)) * 2, top_k=3),
        _c("top-k-tie-at-k", np.array([[3.0, 2.0, 2.0, 1.0, 0.0], [0.5, 1.5, 1.5, 1.5, -1.0]]), kind="edge", top_k=2,
           note="logits tied with the k-th largest are kept: 3 tokens survive in each row"),
        _c("top-k-1-all-equal", np.zeros((1, 4)), kind="edge", top_k=1, note="every token ties with the largest"),
        _c("top-k-equals-V", fixed.normal(size=(2, 5)), kind="edge", top_k=5, note="top_k = V keeps every token"),
        _c("top-k-above-V", fixed.normal(size=(2, 5)), kind="edge", top_k=50, note="top_k > V keeps every token"),
        _c("top-p-0.7-crossing-kept", log(np.array([[0.5, 0.3, 0.15, 0.05], [0.05, 0.15, 0.3, 0.5]])), top_p=0.7,
           note="0.5 < 0.7 ≤ 0.5 + 0.3: the token that crosses top_p stays, two tokens survive"),
        _c("top-p-first-token-crosses", log(np.array([[0.8, 0.1, 0.06, 0.04]])), kind="edge", top_p=0.5,
           note="the most probable token alone reaches top_p: it is kept, the row is not empty"),
        _c("top-p-ties-lower-index", np.zeros((1, 5)), kind="edge", top_p=0.5,
           note="five tokens of 0.2: 0.2 + 0.2 + 0.2 crosses 0.5; ties go to the lower index, so tokens 0, 1, 2"),
        _c("top-p-1-keeps-all", fixed.normal(size=(2, 7)), kind="edge", top_p=1.0),
        _c("top-p-0.9", fixed.normal(size=(3, 12)) * 2, top_p=0.9),
        _c("top-k-then-top-p", log(np.array([[0.4, 0.3, 0.2, 0.1], [0.1, 0.2, 0.3, 0.4]])), kind="edge", top_k=3,
           top_p=0.75, note="top-p acts on the top-k survivors renormalised: 4/9 + 3/9 crosses 0.75, two tokens"),
        _c("all-three", fixed.normal(size=(4, 16)) * 3, temperature=0.7, top_k=6, top_p=0.8),
        _c("large-logits", fixed.normal(size=(2, 6)) * 1e4, kind="edge", top_p=0.95,
           note="logits ~1e4: subtract the row max before exp"),
    ]
    invalid: list[tuple[str, dict[str, Any]]] = [
        ("temperature-0", {"temperature": 0.0}), ("temperature-negative", {"temperature": -1.0}),
        ("top-k-0", {"top_k": 0}), ("top-p-0", {"top_p": 0.0}), ("top-p-above-1", {"top_p": 1.5})]
    for name, bad in invalid:
        out.append(Case(name, {"logits": fixed.normal(size=(1, 4)), **bad}, kind="edge", raises="ValueError",
                        note="temperature ≤ 0, top_k < 1 or top_p outside (0, 1]"))
    rng = np.random.default_rng(seed)
    for i in range(3):
        n, v = int(rng.integers(1, 5)), int(rng.integers(2, 20))
        kw: dict[str, Any] = {"temperature": float(rng.choice([0.5, 1.0, 1.5]))}
        if rng.random() < 0.7:
            kw["top_k"] = int(rng.integers(1, v + 2))
        if rng.random() < 0.7:
            kw["top_p"] = float(rng.uniform(0.3, 0.99))
        logits = np.round(rng.normal(size=(n, v)) * 2, 1)  # rounded: ties happen
        out.append(Case(f"random-{i}", {"logits": logits, **kw}, kind="random", seed=seed, check=check_probs))
    return out


# ----------------------------------------------------------------------------- grader side


def probs_np(logits: Any, temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None, *,
             keep_crossing: bool = True, k_ties: bool = True, p_ties_low: bool = True, p_on_survivors: bool = True,
             multiply_temperature: bool = False) -> Any:
    """The statement's distribution, or one of the classic slips when a flag is turned off."""
    import numpy as np

    z = np.asarray(logits, dtype=np.float64)
    z = z * temperature if multiply_temperature else z / temperature
    n, v = z.shape
    keep = np.ones_like(z, dtype=bool)
    if top_k is not None and top_k < v:
        if k_ties:
            keep = z >= -np.sort(-z, axis=-1)[:, top_k - 1 : top_k]
        else:
            keep = np.zeros_like(keep)
            np.put_along_axis(keep, np.argsort(-z, axis=-1, kind="stable")[:, :top_k], True, axis=-1)
    full = np.exp(z - z.max(axis=-1, keepdims=True))
    full /= full.sum(axis=-1, keepdims=True)
    zk = np.where(keep, z, -np.inf)
    probs = np.exp(zk - zk.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    if top_p is not None and top_p < 1:
        ranked = probs if p_on_survivors else np.where(keep, full, 0.0)
        for row in range(n):
            if p_ties_low:
                order = np.argsort(-ranked[row], kind="stable")
            else:
                order = np.argsort(ranked[row], kind="stable")[::-1]
            cum = np.cumsum(ranked[row, order])
            n_keep = int(np.searchsorted(cum, top_p, side="left")) + (1 if keep_crossing else 0)
            probs[row, order[n_keep:]] = 0.0
        with np.errstate(all="ignore"):
            probs /= probs.sum(axis=-1, keepdims=True)
    return probs


SLIPS = [
    ({"keep_crossing": False},
     "top-p dropped the crossing token: keep the smallest set whose probability reaches top_p, i.e. the tokens "
     "before the cumulative sum reaches top_p *and* the one that crosses it (otherwise a single token of "
     "probability ≥ top_p leaves nothing to sample)"),
    ({"k_ties": False},
     "top-k broke a tie arbitrarily and dropped tokens whose logit equals the k-th largest: keep every logit ≥ "
     "the k-th largest value (np.sort(...)[k-1] as a threshold, not argsort(...)[:k])"),
    ({"p_ties_low": False},
     "top-p ranked equal probabilities with the higher index first: sort by probability descending with ties "
     "to the lower index (np.argsort(-p, kind='stable'), not np.argsort(p)[::-1])"),
    ({"p_on_survivors": False},
     "top-p summed the probabilities of the softmax over all tokens: renormalise over the top-k survivors "
     "first, then accumulate"),
    ({"multiply_temperature": True}, "the logits were multiplied by the temperature: divide by it"),
]


def _first_wrong(want: Any, got: Any) -> str:
    import numpy as np

    close = np.isclose(got, want, rtol=RTOL, atol=ATOL)
    idx = tuple(int(i) for i in np.argwhere(~close)[0])
    return (f"wrong at {list(idx)}: expected {want[idx]:.8g}, got {got[idx]:.8g} "
            f"({int((~close).sum())} of {close.size} values wrong)")


def check_probs(case: Case, got: Any, expected: Any) -> str | None:
    """Rows are distributions; values equal the reference's; a known slip is named."""
    import numpy as np

    kw = case.kwargs
    want = np.asarray(expected, dtype=np.float64)
    try:
        arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return f"expected an array of probabilities of shape {want.shape}, got {type(got).__name__}"
    if arr.shape != want.shape:
        return f"probabilities of shape {arr.shape}, expected {want.shape} (the logits' shape)"
    slip = ""
    for flags, why in SLIPS:
        variant = probs_np(**kw, **flags)
        if not np.allclose(variant, want, rtol=RTOL, atol=ATOL, equal_nan=True) and \
                np.allclose(arr, variant, rtol=1e-6, atol=1e-8, equal_nan=True):
            slip = why
            break
    if not np.all(np.isfinite(arr)):
        row = int(np.argwhere(~np.isfinite(arr))[0][0])
        return f"row {row} holds NaN or Inf" + (f": {slip}" if slip else ": compute the softmax stably (subtract the row max)")
    if (arr < 0).any():
        return f"negative probability at {[int(i) for i in np.argwhere(arr < 0)[0]]}"
    sums = arr.sum(axis=-1)
    if not np.allclose(sums, 1.0, rtol=0, atol=1e-9):
        row = int(np.argmax(np.abs(sums - 1.0)))
        msg = f"row {row} sums to {sums[row]:.10g}, not 1: renormalise after filtering"
        return f"{msg}; {slip}" if slip else msg
    if np.allclose(arr, want, rtol=RTOL, atol=ATOL):
        return None
    msg = _first_wrong(want, arr)
    kept_want, kept_got = (want > 0).sum(axis=-1), (arr > 0).sum(axis=-1)
    if not np.array_equal(kept_want, kept_got):
        row = int(np.argmax(kept_want != kept_got))
        msg += f"; row {row} keeps {int(kept_got[row])} tokens, expected {int(kept_want[row])}"
    return f"{msg}: {slip}" if slip else msg


SPEC = ExerciseSpec(cases=cases)
