"""Reference: a top-k mixture-of-experts router with the Switch-style load-balancing loss."""

import numpy as np


def _softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def moe_route(logits, k):
    """logits (T,E) -> (experts (T,k), weights (T,k), aux loss E·Σ f_e·P_e)."""
    t, e = logits.shape
    if not 1 <= k <= e:
        raise ValueError(f"k must be in 1..E = {e}, got {k}")
    # Highest logit first; a stable sort of -logits keeps equal logits in index order.
    experts = np.argsort(-logits, axis=-1, kind="stable")[:, :k]
    weights = _softmax(np.take_along_axis(logits, experts, axis=-1))  # renormalised over the k chosen
    f = np.bincount(experts.ravel(), minlength=e) / (t * k)  # share of the T·k assignments
    p = _softmax(logits).mean(axis=0)  # mean router probability per expert
    return experts, weights, float(e * np.sum(f * p))
