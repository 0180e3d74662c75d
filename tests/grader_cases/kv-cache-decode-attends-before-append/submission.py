# exercise: kv-cache-decode
import numpy as np


def attend_step(x_t, w_q, w_k, w_v, cache_k, cache_v):
    s = np.einsum("bd,btd->bt", x_t @ w_q, cache_k) / np.sqrt(x_t.shape[-1])
    w = np.exp(s - s.max(-1, keepdims=True)) if s.size else s
    w = w / w.sum(-1, keepdims=True)
    out = np.einsum("bt,btd->bd", w, cache_v)
    cache_k = np.concatenate([cache_k, (x_t @ w_k)[:, None]], axis=1)
    cache_v = np.concatenate([cache_v, (x_t @ w_v)[:, None]], axis=1)
    return out, cache_k, cache_v
