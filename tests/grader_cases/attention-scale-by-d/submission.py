# exercise: attention
# Mistake: scales the scores by 1/D instead of 1/sqrt(D).
import numpy as np


def scaled_dot_product_attention(q, k, v, causal=False):
    scores = q @ np.swapaxes(k, -1, -2) / q.shape[-1]
    if causal:
        t = scores.shape[-1]
        scores = np.where(np.triu(np.ones((t, t), bool), k=1), -np.inf, scores)
    scores = scores - scores.max(axis=-1, keepdims=True)
    w = np.exp(scores)
    return (w / w.sum(axis=-1, keepdims=True)) @ v
