# exercise: rope
# Mistake: the frequency of pair i is base**(-i/D) (the factor 2 of base**(-2i/D) is missing).
import numpy as np


def apply_rope(x, positions, base=10000.0):
    d = x.shape[-1]
    if d % 2:
        raise ValueError("D must be even")
    inv_freq = base ** (-np.arange(d // 2) / d)
    theta = np.asarray(positions)[:, None] * inv_freq[None, :]
    cos, sin = np.cos(theta), np.sin(theta)
    out = x.astype(float).copy()
    out[..., 0::2] = x[..., 0::2] * cos - x[..., 1::2] * sin
    out[..., 1::2] = x[..., 0::2] * sin + x[..., 1::2] * cos
    return out
