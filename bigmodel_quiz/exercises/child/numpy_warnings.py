"""Child side of NumPy exercises whose results must come without floating-point warnings."""

from __future__ import annotations

from typing import Any


def run(entry: Any, kwargs: dict[str, Any], device: str) -> dict[str, Any]:
    """One call, with NumPy's floating-point warnings recorded."""
    import warnings

    import numpy as np

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
            value = entry(**kwargs)
    found = sorted({str(w.message)[:120] for w in caught if issubclass(w.category, RuntimeWarning)})
    return {"value": value, "warnings": found[:3]}
