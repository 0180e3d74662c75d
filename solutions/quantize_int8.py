"""Reference: symmetric int8 quantisation, per tensor or per slice along one axis."""

import numpy as np


def quantize_int8(x, axis=None):
    """Return (q int8, scale) with q = clip(round(x / scale), -127, 127) and scale = max|x| / 127."""
    x = np.asarray(x, dtype=float)
    if axis is None:
        amax = np.abs(x).max() if x.size else 0.0
        scale = float(amax / 127.0) if amax > 0 else 1.0
        q = np.clip(np.round(x / scale), -127, 127).astype(np.int8)
        return q, scale
    axis = axis % x.ndim
    others = tuple(i for i in range(x.ndim) if i != axis)
    amax = np.abs(x).max(axis=others)
    scale = np.where(amax > 0, amax / 127.0, 1.0)  # an all-zero slice keeps scale 1.0
    shape = [1] * x.ndim
    shape[axis] = -1
    q = np.clip(np.round(x / scale.reshape(shape)), -127, 127).astype(np.int8)
    return q, scale
