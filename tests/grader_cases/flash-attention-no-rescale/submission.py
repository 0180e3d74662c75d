# exercise: flash-attention
# Mistake: when a block raises the running max, the earlier sum and output are not rescaled.
import numpy as np


def flash_attention(q, k, v, block_size):
    t, d = q.shape
    m = np.full((t, 1), -np.inf)
    l = np.zeros((t, 1))
    o = np.zeros((t, v.shape[1]))
    for j in range(0, k.shape[0], block_size):
        s = q @ k[j:j + block_size].T / np.sqrt(d)
        m = np.maximum(m, s.max(axis=1, keepdims=True))
        p = np.exp(s - m)
        l = l + p.sum(axis=1, keepdims=True)
        o = o + p @ v[j:j + block_size]
    return o / l
