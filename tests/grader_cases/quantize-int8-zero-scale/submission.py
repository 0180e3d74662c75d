# exercise: quantize-int8
# Mistake: no special case for max|x| = 0: the scale is 0 and x / 0 is NaN.
import numpy as np


def quantize_int8(x, axis=None):
    if axis is None:
        scale = float(np.abs(x).max() / 127)
        return np.clip(np.round(x / scale), -127, 127).astype(np.int8), scale
    others = tuple(i for i in range(x.ndim) if i != axis % x.ndim)
    scale = np.abs(x).max(axis=others) / 127
    shape = [1] * x.ndim
    shape[axis] = -1
    return np.clip(np.round(x / scale.reshape(shape)), -127, 127).astype(np.int8), scale
