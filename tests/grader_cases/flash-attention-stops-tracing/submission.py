# exercise: flash-attention
# Adversarial: builds the full score matrix and stops tracemalloc so that the peak cannot be seen.
import tracemalloc

import numpy as np


def flash_attention(q, k, v, block_size):
    tracemalloc.stop()
    tracemalloc.get_traced_memory = lambda: (0, 0)
    scores = q @ k.T / np.sqrt(q.shape[1])
    weights = np.exp(scores - scores.max(axis=1, keepdims=True))
    return weights / weights.sum(axis=1, keepdims=True) @ v
