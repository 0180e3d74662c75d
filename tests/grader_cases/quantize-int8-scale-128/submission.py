# exercise: quantize-int8
# Mistake: divides max|x| by 128 (the int8 minimum's magnitude) instead of 127.
import numpy as np


def quantize_int8(x, axis=None):
    if axis is None:
        amax = np.abs(x).max()
        scale = amax / 128 if amax > 0 else 1.0
        return np.clip(np.round(x / scale), -127, 127).astype(np.int8), float(scale)
    others = tuple(i for i in range(x.ndim) if i != axis % x.ndim)
    amax = np.abs(x).max(axis=others)
    scale = np.where(amax > 0, amax / 128, 1.0)
    shape = [1] * x.ndim
    shape[axis] = -1
    return np.clip(np.round(x / scale.reshape(shape)), -127, 127).astype(np.int8), scale
