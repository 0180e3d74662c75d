# exercise: dropout
# Mistake: ignores the training flag, so dropout also runs at inference.
import numpy as np


def dropout(x, p, training, rng):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    keep = rng.random(x.shape) >= p
    return np.where(keep, x / (1 - p), 0.0)
