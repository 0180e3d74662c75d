# exercise: moe-router
# Mistake: weights taken from the softmax over all E experts instead of a softmax over the k selected.
import numpy as np


def moe_route(logits, k):
    t, e = logits.shape
    if not 1 <= k <= e:
        raise ValueError("k must be in 1..E")
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs = z / z.sum(axis=1, keepdims=True)
    experts = np.argsort(-logits, axis=1, kind="stable")[:, :k]
    weights = np.take_along_axis(probs, experts, axis=1)
    f = np.bincount(experts.ravel(), minlength=e) / (t * k)
    return experts, weights, float(e * np.sum(f * probs.mean(axis=0)))
