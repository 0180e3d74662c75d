"""Child side of kv-cache-decode: one step, or a rollout from an empty cache."""

from __future__ import annotations

from typing import Any


def run(entry: Any, kwargs: dict[str, Any], device: str) -> Any:
    """One call, or a rollout that feeds each step's caches to the next step."""
    if "sequence" not in kwargs:
        return entry(**kwargs)
    import numpy as np

    seq = kwargs["sequence"]
    b, t, d = seq.shape
    cache_k, cache_v = np.zeros((b, 0, d)), np.zeros((b, 0, d))
    outputs = []
    for step in range(t):
        res = entry(seq[:, step].copy(), kwargs["w_q"], kwargs["w_k"], kwargs["w_v"], cache_k, cache_v)
        if not isinstance(res, (tuple, list)) or len(res) != 3:
            return {"problem": f"step {step}: attend_step must return (out, cache_k, cache_v), got {type(res).__name__}"}
        out, cache_k, cache_v = res
        outputs.append(out)
    return {"outputs": outputs, "cache_k": cache_k, "cache_v": cache_v}
