# exercise: quantize-int8
# Mistake: takes the max along `axis` instead of over the other axes, so there is one scale
# per column when one per row was asked for.
import numpy as np


def quantize_int8(x, axis=None):
    amax = np.abs(x).max(axis=axis, keepdims=axis is not None)
    scale = np.where(amax > 0, amax / 127, 1.0)
    q = np.clip(np.round(x / scale), -127, 127).astype(np.int8)
    return q, (float(scale) if axis is None else scale.squeeze(axis))
