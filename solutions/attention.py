"""Reference: scaled dot-product attention with an optional causal mask."""

import numpy as np


def scaled_dot_product_attention(q, k, v, causal=False):
    """q (B,H,Tq,D), k and v (B,H,Tk,D) -> (B,H,Tq,D): softmax(q k^T / sqrt(D)) v."""
    d = q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d)
    if causal:
        t_q, t_k = scores.shape[-2:]
        if t_q != t_k:
            raise ValueError(f"causal attention needs Tq == Tk, got {t_q} and {t_k}")
        future = np.triu(np.ones((t_q, t_k), dtype=bool), k=1)
        scores = np.where(future, -np.inf, scores)
    # Row max subtraction keeps exp() finite; the diagonal is never masked, so the max is finite.
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    return weights @ v
