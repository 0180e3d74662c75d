# exercise: perplexity
# Mistake: averages the log-likelihood per sequence first, then over sequences, so a short
# sequence weighs as much as a long one.
import numpy as np


def perplexity(log_probs, mask=None):
    if mask is None:
        mask = np.ones(log_probs.shape, dtype=bool)
    if log_probs.size == 0 or not mask.any():
        raise ValueError("no tokens")
    per_seq = [row[m].mean() for row, m in zip(log_probs, mask) if m.any()]
    return float(np.exp(-np.mean(per_seq)))
