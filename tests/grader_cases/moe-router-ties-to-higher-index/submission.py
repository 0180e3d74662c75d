# exercise: moe-router
# Mistake: a reversed ascending argsort, so equal logits pick the higher expert index first.
import numpy as np


def moe_route(logits, k):
    t, e = logits.shape
    if not 1 <= k <= e:
        raise ValueError("k must be in 1..E")
    experts = np.argsort(logits, axis=1, kind="stable")[:, ::-1][:, :k]
    top = np.take_along_axis(logits, experts, axis=1)
    w = np.exp(top - top.max(axis=1, keepdims=True))
    weights = w / w.sum(axis=1, keepdims=True)
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs = z / z.sum(axis=1, keepdims=True)
    f = np.bincount(experts.ravel(), minlength=e) / (t * k)
    return experts, weights, float(e * np.sum(f * probs.mean(axis=0)))
