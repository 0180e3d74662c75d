"""Reference: one decode step of single-head attention with a key/value cache."""

import numpy as np


def attend_step(x_t, w_q, w_k, w_v, cache_k, cache_v):
    """x_t (B,D), w_* (D,D), caches (B,T,D) -> (out (B,D), cache_k (B,T+1,D), cache_v (B,T+1,D))."""
    d = x_t.shape[-1]
    q = x_t @ w_q
    # The new token's key and value join the cache first: it attends to itself too.
    cache_k = np.concatenate([cache_k, (x_t @ w_k)[:, None, :]], axis=1)
    cache_v = np.concatenate([cache_v, (x_t @ w_v)[:, None, :]], axis=1)
    scores = np.einsum("bd,btd->bt", q, cache_k) / np.sqrt(d)
    scores -= scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    return np.einsum("bt,btd->bd", weights, cache_v), cache_k, cache_v
