# exercise: multi-head-attention
# Mistake: scores divided by the head width d_h instead of its square root.
import numpy as np


def multi_head_attention(x, w_qkv, b_qkv, w_o, b_o, n_heads, causal=True):
    b, t, d = x.shape
    if d % n_heads:
        raise ValueError("D must be divisible by n_heads")
    d_h = d // n_heads
    qkv = x @ w_qkv + b_qkv
    q, k, v = (qkv[..., i * d:(i + 1) * d].reshape(b, t, n_heads, d_h).transpose(0, 2, 1, 3) for i in range(3))
    s = q @ k.transpose(0, 1, 3, 2) / d_h
    if causal:
        s = np.where(np.triu(np.ones((t, t), bool), k=1), -np.inf, s)
    s = s - s.max(-1, keepdims=True)
    w = np.exp(s)
    w /= w.sum(-1, keepdims=True)
    return (w @ v).transpose(0, 2, 1, 3).reshape(b, t, d) @ w_o + b_o
