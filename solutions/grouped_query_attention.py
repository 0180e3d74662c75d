"""Reference: grouped-query attention (MHA when Hkv = Hq, MQA when Hkv = 1)."""

import numpy as np


def grouped_query_attention(q, k, v, causal=True):
    """q (B,Hq,T,D), k and v (B,Hkv,T,D) -> (B,Hq,T,D); query head h reads kv head h // (Hq/Hkv)."""
    hq, hkv = q.shape[1], k.shape[1]
    if hkv < 1 or hq % hkv:
        raise ValueError(f"Hq = {hq} is not divisible by Hkv = {hkv}")
    group = hq // hkv
    # Consecutive query heads share a kv head: repeat each kv head `group` times in place.
    k = np.repeat(k, group, axis=1)
    v = np.repeat(v, group, axis=1)
    t, d = q.shape[2], q.shape[3]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d)
    if causal:
        scores = np.where(np.triu(np.ones((t, k.shape[2]), dtype=bool), k=1), -np.inf, scores)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    return weights @ v
