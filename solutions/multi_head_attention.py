"""Reference: causal multi-head self-attention with a fused QKV projection."""

import numpy as np


def multi_head_attention(x, w_qkv, b_qkv, w_o, b_o, n_heads, causal=True):
    """x (B,T,D); w_qkv (D,3D) = [w_q | w_k | w_v]; head h owns columns h·d_h … (h+1)·d_h − 1."""
    b, t, d = x.shape
    if n_heads < 1 or d % n_heads:
        raise ValueError(f"D = {d} is not divisible by n_heads = {n_heads}")
    d_h = d // n_heads
    qkv = x @ w_qkv + b_qkv  # (B,T,3D)
    # (B,T,D) -> (B,H,T,d_h): contiguous column blocks are the heads.
    q, k, v = (qkv[..., i * d:(i + 1) * d].reshape(b, t, n_heads, d_h).transpose(0, 2, 1, 3) for i in range(3))
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_h)  # (B,H,T,T)
    if causal:
        scores = np.where(np.triu(np.ones((t, t), dtype=bool), k=1), -np.inf, scores)
    scores = scores - scores.max(axis=-1, keepdims=True)  # the diagonal is never masked: finite max
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    heads = (weights @ v).transpose(0, 2, 1, 3).reshape(b, t, d)  # concatenate heads in order
    return heads @ w_o + b_o
