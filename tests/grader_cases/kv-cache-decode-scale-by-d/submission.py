# exercise: kv-cache-decode
import numpy as np


def attend_step(x_t, w_q, w_k, w_v, cache_k, cache_v):
    d = x_t.shape[-1]
    cache_k = np.concatenate([cache_k, (x_t @ w_k)[:, None]], axis=1)
    cache_v = np.concatenate([cache_v, (x_t @ w_v)[:, None]], axis=1)
    s = np.einsum("bd,btd->bt", x_t @ w_q, cache_k) / d
    w = np.exp(s - s.max(-1, keepdims=True))
    w /= w.sum(-1, keepdims=True)
    return np.einsum("bt,btd->bd", w, cache_v), cache_k, cache_v
