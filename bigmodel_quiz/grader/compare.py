"""The diagnosis: how a returned value differs from the reference's, in words.

Structure first (tuple/list lengths, dict keys, each part named by its path, e.g.
``grad["w1"]``), then for arrays the shape, the dtype class (integer / floating /
bool) and the values within the tolerance: NaN/Inf where the reference is finite,
the first bad index, how many elements differ, the largest absolute and relative
errors, and an excerpt of expected vs got around the first bad index. Scalars may
come back as Python or NumPy scalars (or 0-d arrays).
"""

from __future__ import annotations

import math
from typing import Any

from bigmodel_quiz.grader.protocol import TensorData, Unsupported

_EXCERPT = 7  # elements of the last axis shown around the first bad index


def compare(
    expected: Any,
    got: Any,
    *,
    rtol: float,
    atol: float,
    names: tuple[str, ...] | None = None,
) -> str | None:
    """None when ``got`` matches ``expected``, else what is wrong (may span lines).

    ``names`` names the parts of a tuple result (``("loss", "grad")``), so that messages
    say ``grad["w1"]`` rather than ``result[1]["w1"]``.
    """
    if names and isinstance(expected, (tuple, list)) and len(names) == len(expected):
        if not isinstance(got, (tuple, list)):
            return f"expected a tuple ({', '.join(names)}), got {describe(got)}"
        if len(got) != len(expected):
            return f"expected a tuple of {len(expected)} items ({', '.join(names)}), got {len(got)} items"
        for name, exp_part, got_part in zip(names, expected, got):
            problem = _compare(exp_part, got_part, name, rtol, atol)
            if problem:
                return problem
        return None
    return _compare(expected, got, "", rtol, atol)


def _where(path: str) -> str:
    return f"{path}: " if path else ""


def _np() -> Any:
    import numpy as np

    return np


def _scalar_class(value: Any) -> str | None:
    """bool / integer / floating for a Python or NumPy scalar (or 0-d array), else None."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "floating"
    np = _np()
    if isinstance(value, (np.generic, np.ndarray)) and np.ndim(value) == 0:
        return _dtype_class(np.asarray(value).dtype)
    return None


def _dtype_class(dtype: Any) -> str:
    np = _np()
    if dtype == np.bool_:
        return "bool"
    if np.issubdtype(dtype, np.integer):
        return "integer"
    if np.issubdtype(dtype, np.floating):
        return "floating"
    if np.issubdtype(dtype, np.complexfloating):
        return "complex"
    return str(dtype)


def describe(value: Any) -> str:
    """A short description of a value's type and shape, for messages."""
    np = _np()
    if value is None:
        return "None"
    if isinstance(value, Unsupported):
        article = "an" if value.type_name[:1].lower() in "aeiou" else "a"
        return f"{article} {value.type_name} ({value.detail})"
    if isinstance(value, TensorData):
        return f"a {value.dtype} tensor of shape {tuple(value.array.shape)} on {value.device}"
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return f"an array of shape {value.shape} ({value.dtype})"
    cls = _scalar_class(value)
    if cls is not None:
        kind = {"bool": "bool", "integer": "int", "floating": "float"}.get(cls, cls)
        return f"{'an' if kind == 'int' else 'a'} {kind} {_fmt(value)}"
    if isinstance(value, tuple):
        return f"a tuple of {len(value)} items"
    if isinstance(value, list):
        return f"a list of {len(value)} items"
    if isinstance(value, dict):
        return f"a dict with keys {_keys(value)}"
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    return f"a {type(value).__name__}"


def _keys(d: dict[Any, Any]) -> str:
    keys = [repr(k) for k in d]
    return "{" + ", ".join(keys[:8]) + (", …" if len(keys) > 8 else "") + "}"


def _fmt(value: Any) -> str:
    np = _np()
    if isinstance(value, np.ndarray):
        value = value[()]
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if not math.isfinite(v):
            return repr(v)
        text = f"{v:.8g}"
        return text if any(c in text for c in ".en") else text + ".0"  # 5.0 must not read as the int 5
    return repr(value)


def _child(path: str, key: Any) -> str:
    return f"{path or 'result'}[{key!r}]".replace("'", '"')


def _compare(expected: Any, got: Any, path: str, rtol: float, atol: float) -> str | None:
    np = _np()
    if isinstance(got, Unsupported):
        return f"{_where(path)}expected {describe(expected)}, got {describe(got)}"
    if isinstance(expected, dict):
        return _compare_dict(expected, got, path, rtol, atol)
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            return f"{_where(path)}expected {describe(expected)}, got {describe(got)}"
        if len(got) != len(expected):
            return f"{_where(path)}expected {len(expected)} items, got {len(got)}"
        for i, (e, g) in enumerate(zip(expected, got)):
            problem = _compare(e, g, f"{path or 'result'}[{i}]", rtol, atol)
            if problem:
                return problem
        return None
    if isinstance(expected, TensorData):
        if not isinstance(got, TensorData):
            return f"{_where(path)}expected {describe(expected)}, got {describe(got)}"
        if got.device.split(":")[0] != expected.device.split(":")[0]:
            return f"{_where(path)}the tensor is on {got.device}, expected on {expected.device} (results must stay on the grading device)"
        if got.dtype != expected.dtype:
            return f"{_where(path)}dtype: expected {expected.dtype}, got {got.dtype}"
        return _compare_array(expected.array, got.array, path, rtol, atol)
    if expected is None or isinstance(expected, str):
        if type(got) is type(expected) and got == expected:
            return None
        return f"{_where(path)}expected {describe(expected)}, got {describe(got)}"
    if isinstance(expected, np.ndarray) and expected.ndim > 0:
        if not isinstance(got, np.ndarray) or got.ndim == 0:
            return f"{_where(path)}expected {describe(expected)}, got {describe(got)}"
        return _compare_array(expected, got, path, rtol, atol)
    exp_class = _scalar_class(expected)
    if exp_class is not None:
        return _compare_scalar(expected, exp_class, got, path, rtol, atol)
    return f"{_where(path)}cannot compare with {describe(expected)}"  # a case module bug


def _compare_dict(expected: dict[Any, Any], got: Any, path: str, rtol: float, atol: float) -> str | None:
    if not isinstance(got, dict):
        return f"{_where(path)}expected {describe(expected)}, got {describe(got)}"
    missing = [k for k in expected if k not in got]
    if missing:
        return f"{path or 'the result'} is missing key {missing[0]!r} (expected keys {_keys(expected)})"
    extra = [k for k in got if k not in expected]
    if extra:
        return f"{path or 'the result'} has unexpected key {extra[0]!r} (expected keys {_keys(expected)})"
    for key in expected:
        problem = _compare(expected[key], got[key], _child(path, key), rtol, atol)
        if problem:
            return problem
    return None


def _compare_scalar(expected: Any, exp_class: str, got: Any, path: str, rtol: float, atol: float) -> str | None:
    got_class = _scalar_class(got)
    if got_class is None:
        return f"{_where(path)}expected {describe(expected)}, got {describe(got)}"
    # An int is a fine float (5 for 5.0); a float is not a fine int, nor a bool.
    ok_classes = {"floating": ("floating", "integer"), "integer": ("integer",), "bool": ("bool",)}
    if got_class not in ok_classes.get(exp_class, (exp_class,)):
        return f"{_where(path)}expected {describe(expected)}, got {describe(got)}"
    if exp_class != "floating":
        if bool(expected == got) if exp_class == "bool" else int(expected) == int(got):
            return None
        return f"{_where(path)}expected {_fmt(expected)}, got {_fmt(got)}" + _ratio_hint(float(expected), float(got))
    e, g = float(expected), float(got)
    if math.isnan(e) and math.isnan(g):
        return None
    if math.isfinite(e) and not math.isfinite(g):
        return f"{_where(path)}got {_fmt(g)} where {_fmt(e)} was expected"
    if e == g or abs(g - e) <= atol + rtol * abs(e):
        return None
    rel = abs(g - e) / abs(e) if e else math.inf
    return (
        f"{_where(path)}expected {_fmt(e)}, got {_fmt(g)} (abs error {abs(g - e):.3g}, rel error {rel:.3g};"
        f" rtol {rtol:g}, atol {atol:g})" + _ratio_hint(e, g)
    )


def _ratio_hint(e: float, g: float) -> str:
    if e and g and math.isfinite(e) and math.isfinite(g):
        ratio = g / e
        if abs(ratio + 1) < 1e-9:
            return "; the sign is flipped"
        for value, text in ((ratio, f"{_nice(ratio)}×"), (1 / ratio, f"1/{_nice(1 / ratio)} of")):
            if value >= 1.5 and abs(value - round(value)) < 1e-9 * value:
                return f"; got is {text} the expected value"
    return ""


def _nice(x: float) -> str:
    return str(int(round(x))) if abs(x - round(x)) < 1e-9 * abs(x) else f"{x:.4g}"


def _compare_array(expected: Any, got: Any, path: str, rtol: float, atol: float) -> str | None:
    np = _np()
    where = _where(path)
    if got.shape != expected.shape:
        hint = ""
        if got.shape == expected.shape[::-1] and got.ndim > 1:
            hint = " (the transpose of the expected shape)"
        elif got.size == expected.size:
            hint = " (same number of elements: a reshape or an axis order mistake?)"
        return f"{where}shape: expected {expected.shape}, got {got.shape}{hint}"
    exp_class, got_class = _dtype_class(expected.dtype), _dtype_class(got.dtype)
    if exp_class != got_class:
        return f"{where}dtype: expected {exp_class} ({expected.dtype}), got {got_class} ({got.dtype})"
    if expected.size == 0:
        return None
    if exp_class != "floating" and exp_class != "complex":
        bad = expected != got
    else:
        exp_f, got_f = expected.astype(np.float64, copy=False), got.astype(np.float64, copy=False)
        nonfinite = ~np.isfinite(got_f) & np.isfinite(exp_f)
        if nonfinite.any():
            idx = _index(np.argwhere(nonfinite)[0])
            count = int(nonfinite.sum())
            return (
                f"{where}{_fmt(got_f[idx])} at {list(idx)} where {_fmt(exp_f[idx])} was expected"
                f" ({count} NaN/Inf value{'s' if count > 1 else ''} where the expected values are finite)"
            )
        with np.errstate(invalid="ignore", over="ignore"):
            bad = ~np.isclose(got_f, exp_f, rtol=rtol, atol=atol, equal_nan=True)
    if not bad.any():
        return None
    idx = _index(np.argwhere(bad)[0])
    count, total = int(bad.sum()), expected.size
    head = f"{path + ' ' if path else ''}wrong at {list(idx)}: expected {_fmt(expected[idx])}, got {_fmt(got[idx])}"
    head += f" ({count} of {total} element{'s' if total > 1 else ''} differ"
    if exp_class == "floating":
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            diff = np.abs(got_f - exp_f)
            finite = np.isfinite(diff)
            max_abs = float(diff[finite].max()) if finite.any() else math.inf
            rel = diff / np.abs(exp_f)
            rel_ok = np.isfinite(rel)
            max_rel = float(rel[rel_ok].max()) if rel_ok.any() else math.inf
        head += f"; max abs error {max_abs:.3g}, max rel error {max_rel:.3g}; rtol {rtol:g}, atol {atol:g}"
    head += ")" + _array_hint(exp_f if exp_class == "floating" else expected, got_f if exp_class == "floating" else got)
    return head + "\n" + _excerpt(expected, got, idx)


def _index(row: Any) -> tuple[int, ...]:
    return tuple(int(i) for i in row)


def _array_hint(expected: Any, got: Any) -> str:
    np = _np()
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        nz = (expected != 0) & (got != 0)
        if nz.sum() >= 2 and np.array_equal(nz, (expected != 0) | (got != 0)):
            ratio = got[nz] / expected[nz]
            r = float(ratio.flat[0])
            if np.allclose(ratio, r, rtol=1e-9, atol=0):
                hint = _ratio_hint(1.0, r)
                if hint:
                    return hint.replace("value", "values everywhere")
        if np.array_equal(got, expected[..., ::-1]) and expected.ndim >= 1:
            return "; got is the expected result reversed along the last axis"
    return ""


def _excerpt(expected: Any, got: Any, idx: tuple[int, ...]) -> str:
    """Two aligned rows of the last axis around ``idx``: expected and got."""
    if expected.ndim == 0:
        return f"  expected {_fmt(expected)}\n  got      {_fmt(got)}"
    row = idx[:-1]
    j = idx[-1]
    n = expected.shape[-1]
    lo = max(0, min(j - _EXCERPT // 2, n - _EXCERPT))
    hi = min(n, lo + _EXCERPT)
    exp_cells = [_fmt(expected[row + (k,)]) for k in range(lo, hi)]
    got_cells = [_fmt(got[row + (k,)]) for k in range(lo, hi)]
    width = max(len(c) for c in exp_cells + got_cells)

    def line(cells: list[str]) -> str:
        body = " ".join(c.rjust(width) for c in cells)
        return ("… " if lo > 0 else "") + body + (" …" if hi < n else "")

    where = f"[{', '.join(str(i) for i in row)}{', ' if row else ''}{lo}:{hi}]"
    prefix = f"  expected {where}: "
    caret = len(prefix) + (2 if lo > 0 else 0) + (j - lo) * (width + 1) + width - 1
    return f"{prefix}{line(exp_cells)}\n  got      {where}: {line(got_cells)}\n{' ' * caret}^"
