# exercise: flash-attention
# Mistake: ignores block_size and builds the whole T x S score matrix (right values, far too much memory).
import numpy as np


def flash_attention(q, k, v, block_size):
    scores = q @ k.T / np.sqrt(q.shape[1])
    weights = np.exp(scores - scores.max(axis=1, keepdims=True))
    return weights / weights.sum(axis=1, keepdims=True) @ v
