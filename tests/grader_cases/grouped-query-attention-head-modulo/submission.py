# exercise: grouped-query-attention
# Mistake: np.tile lays the kv heads out round-robin, so query head h reads kv head h % Hkv.
import numpy as np


def grouped_query_attention(q, k, v, causal=True):
    hq, hkv = q.shape[1], k.shape[1]
    if hq % hkv:
        raise ValueError("Hq must be divisible by Hkv")
    k = np.tile(k, (1, hq // hkv, 1, 1))
    v = np.tile(v, (1, hq // hkv, 1, 1))
    t = q.shape[2]
    s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(q.shape[-1])
    if causal:
        s = np.where(np.triu(np.ones((t, t), bool), k=1), -np.inf, s)
    s = s - s.max(-1, keepdims=True)
    w = np.exp(s)
    return (w / w.sum(-1, keepdims=True)) @ v
