"""Reference: clip a list of gradients by their global 2-norm, as torch.nn.utils.clip_grad_norm_ does."""

import numpy as np


def clip_grad_norm(grads, max_norm):
    """(new gradients, total 2-norm of all of them together before clipping); the inputs are not modified."""
    if not grads:
        return [], 0.0
    total = float(np.sqrt(sum(float(np.sum(np.square(g))) for g in grads)))  # one norm over every element
    coef = min(1.0, max_norm / (total + 1e-6))  # one factor for every tensor: their directions are kept
    return [g * coef for g in grads], total
