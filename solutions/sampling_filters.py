"""Reference: the distribution a sampler draws from after temperature, top-k and top-p."""

import numpy as np


def sampling_probs(logits, temperature=1.0, top_k=None, top_p=None):
    """logits (N,V) -> probabilities (N,V): temperature, then top-k (ties kept), then top-p (crossing token kept)."""
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    if top_k is not None and top_k < 1:
        raise ValueError(f"top_k must be >= 1, got {top_k}")
    if top_p is not None and not 0 < top_p <= 1:
        raise ValueError(f"top_p must be in (0, 1], got {top_p}")
    z = np.asarray(logits, dtype=np.float64) / temperature
    n, v = z.shape
    keep = np.ones_like(z, dtype=bool)
    if top_k is not None and top_k < v:
        kth = -np.sort(-z, axis=-1)[:, top_k - 1 : top_k]
        keep = z >= kth  # every logit tied with the k-th survives
    z = np.where(keep, z, -np.inf)
    probs = np.exp(z - z.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    if top_p is not None and top_p < 1:
        for row in range(n):
            order = np.argsort(-probs[row], kind="stable")  # most probable first, ties to the lower index
            cum = np.cumsum(probs[row, order])
            n_keep = int(np.searchsorted(cum, top_p, side="left")) + 1  # the token that crosses top_p stays
            drop = order[n_keep:]
            probs[row, drop] = 0.0
        probs /= probs.sum(axis=-1, keepdims=True)
    return probs
