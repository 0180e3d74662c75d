# exercise: attention
# Mistake: the causal mask also hides the diagonal (j < i instead of j <= i): row 0 sees nothing.
import numpy as np


def scaled_dot_product_attention(q, k, v, causal=False):
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if causal:
        t = scores.shape[-1]
        scores = np.where(np.triu(np.ones((t, t), bool)), -np.inf, scores)
    scores = scores - scores.max(axis=-1, keepdims=True)
    w = np.exp(scores)
    return (w / w.sum(axis=-1, keepdims=True)) @ v
