"""Reference: attention by blocks of keys with an online softmax (FlashAttention's recurrence)."""

import numpy as np


def flash_attention(q, k, v, block_size):
    """q (T,D), k and v (S,D) -> softmax(q k^T / sqrt(D)) v, never holding more than T×block_size scores."""
    t, d = q.shape
    m = np.full((t, 1), -np.inf)  # running max of each query's scores
    denom = np.zeros((t, 1))  # running sum of exp(score - m)
    acc = np.zeros((t, v.shape[1]))  # running sum of exp(score - m) * v
    scale = 1.0 / np.sqrt(d)
    for start in range(0, k.shape[0], block_size):
        scores = q @ k[start:start + block_size].T * scale  # (T, block)
        m_new = np.maximum(m, scores.max(axis=1, keepdims=True))
        p = np.exp(scores - m_new)
        correction = np.exp(m - m_new)  # rescales what was summed under the old max (0 on the first block)
        denom = denom * correction + p.sum(axis=1, keepdims=True)
        acc = acc * correction + p @ v[start:start + block_size]
        m = m_new
    return acc / denom
