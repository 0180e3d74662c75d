# exercise: grad-clip
# Mistake: each gradient is clipped by its own norm instead of one global norm.
import numpy as np


def clip_grad_norm(grads, max_norm):
    out, squares = [], 0.0
    for g in grads:
        norm = float(np.sqrt(np.sum(g * g)))
        squares += norm ** 2
        out.append(g * min(1.0, max_norm / (norm + 1e-6)))
    return out, float(np.sqrt(squares))
