# exercise: rope
# Mistake: GPT-NeoX's rotate_half layout, pairing x[i] with x[i + D/2] instead of x[2i] with x[2i+1].
import numpy as np


def apply_rope(x, positions, base=10000.0):
    d = x.shape[-1]
    if d % 2:
        raise ValueError("D must be even")
    inv_freq = base ** (-np.arange(0, d, 2) / d)
    theta = np.asarray(positions)[:, None] * inv_freq[None, :]
    cos = np.concatenate([np.cos(theta)] * 2, axis=-1)
    sin = np.concatenate([np.sin(theta)] * 2, axis=-1)
    rotated = np.concatenate([-x[..., d // 2:], x[..., : d // 2]], axis=-1)
    return x * cos + rotated * sin
