"""Reference: inverted dropout."""

import numpy as np


def dropout(x, p, training, rng):
    """Zero each element with probability p and scale survivors by 1/(1-p); identity when not training."""
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p must be in [0, 1), got {p}")
    if not training or p == 0.0:
        return x.copy()
    keep = rng.random(x.shape) >= p  # kept with probability 1 - p
    return np.where(keep, x / (1.0 - p), 0.0)
