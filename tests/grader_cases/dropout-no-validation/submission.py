# exercise: dropout
# Mistake: never checks p; p = 1.5 silently produces nonsense instead of raising ValueError.
import numpy as np


def dropout(x, p, training, rng):
    if not training or p == 0:
        return x.copy()
    keep = rng.random(x.shape) >= p
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(keep, x / (1 - p), 0.0)
