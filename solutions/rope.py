"""Reference: rotary position embedding on interleaved pairs (RoFormer)."""

import numpy as np


def apply_rope(x, positions, base=10000.0):
    """x (..., T, D), positions int (T,): pair i = (x[..., 2i], x[..., 2i+1]) rotated by pos·base^(−2i/D)."""
    d = x.shape[-1]
    if d % 2:
        raise ValueError(f"D must be even to form pairs, got D = {d}")
    inv_freq = float(base) ** (-np.arange(0, d, 2) / d)  # base^(−2i/D), i = 0 … D/2 − 1
    theta = np.asarray(positions, dtype=np.float64)[:, None] * inv_freq[None, :]  # (T, D/2)
    cos, sin = np.cos(theta), np.sin(theta)
    a, b = x[..., 0::2], x[..., 1::2]
    out = np.empty(x.shape, dtype=np.float64)
    out[..., 0::2] = a * cos - b * sin  # counter-clockwise rotation of (a, b)
    out[..., 1::2] = a * sin + b * cos
    return out
