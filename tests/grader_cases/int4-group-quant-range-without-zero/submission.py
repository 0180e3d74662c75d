# exercise: int4-group-quant
# Mistake: the range is [min(g), max(g)]; 0 is not forced into it.
import numpy as np


def quantize_int4_groups(w, group_size):
    if group_size < 1 or w.shape[-1] % group_size:
        raise ValueError("bad group size")
    g = w.reshape(*w.shape[:-1], -1, group_size)
    lo, hi = g.min(-1), g.max(-1)
    scale = np.where(hi > lo, (hi - lo) / 15, 1.0)
    zero = np.round(-lo / scale)
    q = np.clip(np.round(g / scale[..., None]) + zero[..., None], 0, 15)
    return q.reshape(w.shape).astype(np.uint8), scale, np.clip(zero, 0, 15).astype(np.uint8)
