# exercise: dropout
# Mistake: keeps each element with probability p instead of 1 - p.
import numpy as np


def dropout(x, p, training, rng):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not training or p == 0:
        return x.copy()
    keep = rng.random(x.shape) < p
    return np.where(keep, x / (1 - p), 0.0)
