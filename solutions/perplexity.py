"""Reference: perplexity from per-token log-probabilities."""

import numpy as np


def perplexity(log_probs, mask=None):
    """exp of the mean negative log-probability over the masked-in positions."""
    log_probs = np.asarray(log_probs, dtype=float)
    if mask is None:
        mask = np.ones(log_probs.shape, dtype=bool)
    mask = np.asarray(mask, dtype=bool)
    if log_probs.size == 0 or not mask.any():
        raise ValueError("no tokens to average over")
    # Average over tokens, not over sequences: every counted token weighs the same.
    return float(np.exp(-log_probs[mask].mean()))
