"""Checkers that name a known mistake: compare with the expected value, and when the result
differs, recompute the case the way each classic mistake would and say which one it matches.

A mistake is ``(label, variant)``: ``variant(**case.kwargs)`` returns what a solution making
that mistake returns (or None where the mistake changes nothing for that case). Everything
here runs in the grader's process (checkers), never in the submission's; NumPy is imported
inside the functions, like every helper of the case modules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bigmodel_quiz.exercises.spec import Case, Checker

Mistake = tuple[str, Callable[..., Any]]


def checker(mistakes: Sequence[Mistake], rtol: float = 1e-7, atol: float = 1e-9,
            names: tuple[str, ...] | None = None) -> Checker:
    """A checker comparing with ``expected`` and naming the first mistake whose result ``got`` matches."""

    def check(case: Case, got: Any, expected: Any) -> str | None:
        problem = mismatch(expected, got, rtol, atol, names)
        if problem is None:
            return None
        label = recognise(case, got, mistakes, rtol, atol)
        return problem if label is None else f"{label}\n{problem}"

    return check


def recognise(case: Case, got: Any, mistakes: Sequence[Mistake], rtol: float = 1e-7, atol: float = 1e-9) -> str | None:
    """The label of the first mistake that reproduces ``got`` on this case, if any."""
    import copy

    for label, variant in mistakes:
        try:
            wrong = variant(**copy.deepcopy(case.kwargs))
        except Exception:  # the mistaken computation does not apply to this case
            continue
        if wrong is not None and mismatch(wrong, got, rtol, atol) is None:
            return label
    return None


def mismatch(expected: Any, got: Any, rtol: float, atol: float, names: tuple[str, ...] | None = None,
             path: str = "") -> str | None:
    """None when ``got`` equals ``expected`` within the tolerance (NaN matches NaN), else what differs."""
    import numpy as np

    where = f"{path}: " if path else ""
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            what = f" ({', '.join(names)})" if names else ""
            return f"{where}expected a tuple of {len(expected)} items{what}, got {_describe(got)}"
        for i, (e, g) in enumerate(zip(expected, got)):
            part = names[i] if names and len(names) == len(expected) else f"{path}[{i}]"
            problem = mismatch(e, g, rtol, atol, path=part)
            if problem:
                return problem
        return None
    exp = np.asarray(expected)
    if isinstance(got, (str, bytes, dict, set)) or got is None:
        return f"{where}expected {_describe(exp)}, got {_describe(got)}"
    try:
        arr = np.asarray(got)
    except Exception:
        return f"{where}expected {_describe(exp)}, got {_describe(got)}"
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        return f"{where}expected {_describe(exp)}, got {_describe(got)}"
    if arr.shape != exp.shape:
        return f"{where}shape: expected {exp.shape}, got {arr.shape}"
    if _kind(arr) != _kind(exp):
        return f"{where}dtype: expected {_kind(exp)} values, got {arr.dtype}"
    if _kind(exp) != "floating":
        bad = np.argwhere(arr != exp)
        if len(bad):
            idx = tuple(int(i) for i in bad[0])
            return f"{where}wrong at {list(idx)}: expected {exp[idx].item()!r}, got {arr[idx].item()!r}"
        return None
    arr, exp = arr.astype(np.float64), exp.astype(np.float64)
    broken = ~np.isfinite(arr) & np.isfinite(exp)
    if broken.any():
        idx = tuple(int(i) for i in np.argwhere(broken)[0])
        return (f"{where}{arr[idx]} at {list(idx)} where {exp[idx]:.8g} was expected "
                f"({int(broken.sum())} NaN/Inf values where the expected values are finite)")
    close = np.isclose(arr, exp, rtol=rtol, atol=atol, equal_nan=True)
    if not close.all():
        idx = tuple(int(i) for i in np.argwhere(~close)[0])
        return (f"{where}wrong at {list(idx)}: expected {exp[idx]:.8g}, got {arr[idx]:.8g} "
                f"({int((~close).sum())} of {close.size} values differ)")
    return None


def _kind(arr: Any) -> str:
    return {"b": "bool", "i": "integer", "u": "integer", "f": "floating"}.get(arr.dtype.kind, str(arr.dtype))


def _describe(value: Any) -> str:
    import numpy as np

    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} ({value.dtype})" if value.ndim else f"a {_kind(value)} scalar"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} items"
    return f"a {type(value).__name__}"


def softmax_attention(q: Any, k: Any, v: Any, causal: bool, *, scale: float, diagonal: int = 1, axis: int = -1,
                      mask_after: bool = False) -> Any:
    """softmax(q·kᵀ·scale)·v over the last two axes, with the knobs the attention exercises' mistakes turn.

    ``causal`` hides the keys above the ``diagonal`` (1: position i sees j ≤ i; 0 also hides i itself),
    with -inf before the softmax or, with ``mask_after``, by zeroing weights after it; ``axis`` is the
    axis the softmax normalises (-1, the keys; -2 is the query-axis slip).
    """
    import numpy as np

    scores = q @ np.swapaxes(k, -1, -2) * scale
    future = np.triu(np.ones(scores.shape[-2:], dtype=bool), k=diagonal) if causal else None
    if future is not None and not mask_after:
        scores = np.where(future, -np.inf, scores)
    with np.errstate(invalid="ignore", over="ignore"):
        scores = scores - scores.max(axis=axis, keepdims=True)
        weights = np.exp(scores)
        weights = weights / weights.sum(axis=axis, keepdims=True)
    if future is not None and mask_after:  # zeroed after the softmax: the rows no longer sum to 1
        weights = np.where(future, 0.0, weights)
    return weights @ v
