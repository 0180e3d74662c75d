# exercise: perplexity
# Mistake: no check for an all-False mask: the mean of nothing is NaN, not a ValueError.
import numpy as np


def perplexity(log_probs, mask=None):
    if mask is None:
        mask = np.ones(log_probs.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        values = log_probs[mask]
        return float(np.exp(-values.sum() / values.size)) if values.size else float("nan")
