# exercise: sampling-filters
import numpy as np


def sampling_probs(logits, temperature=1.0, top_k=None, top_p=None):
    if temperature <= 0 or (top_k is not None and top_k < 1) or (top_p is not None and not 0 < top_p <= 1):
        raise ValueError("bad argument")
    z = logits / temperature
    if top_k is not None and top_k < z.shape[-1]:
        idx = np.argsort(-z, axis=-1)[:, :top_k]  # exactly k tokens, whatever ties with the k-th
        mask = np.full(z.shape, -np.inf)
        np.put_along_axis(mask, idx, 0.0, axis=-1)
        z = z + mask
    p = np.exp(z - z.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    if top_p is not None and top_p < 1:
        for row in p:
            order = np.argsort(-row, kind="stable")
            n_keep = int(np.searchsorted(np.cumsum(row[order]), top_p)) + 1
            row[order[n_keep:]] = 0.0
        p /= p.sum(-1, keepdims=True)
    return p
