"""Reference: asymmetric 4-bit quantisation per group of consecutive values along the last axis."""

import numpy as np


def quantize_int4_groups(w, group_size):
    """(q uint8 like w, scales (..., n_groups) float64, zeros (..., n_groups) uint8)."""
    if group_size < 1:
        raise ValueError(f"group_size must be at least 1, got {group_size}")
    if w.ndim == 0 or w.shape[-1] % group_size:
        raise ValueError(f"the last axis ({w.shape[-1:] or 'none'}) must be divisible by group_size {group_size}")
    g = w.reshape(*w.shape[:-1], w.shape[-1] // group_size, group_size).astype(np.float64)
    lo = np.minimum(g.min(axis=-1), 0.0)  # 0 is always inside the range: it is then exactly representable
    hi = np.maximum(g.max(axis=-1), 0.0)
    span = hi - lo
    scale = np.where(span > 0, span / 15.0, 1.0)
    zero = np.round(-lo / scale)  # an integer in 0..15, the code of the value 0
    q = np.clip(np.round(g / scale[..., None]) + zero[..., None], 0, 15)
    return q.reshape(w.shape).astype(np.uint8), scale, zero.astype(np.uint8)
