"""Reference: one AdamW step, as torch.optim.AdamW computes it."""

import numpy as np


def adamw_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
    """Return the new (param, m, v) after step t (1-based); the inputs are left unchanged."""
    # Decoupled weight decay (Loshchilov & Hutter): shrink the weights directly, outside the
    # adaptive update, instead of adding weight_decay * param to the gradient.
    param = param * (1.0 - lr * weight_decay)
    m = beta1 * m + (1.0 - beta1) * grad
    v = beta2 * v + (1.0 - beta2) * grad**2
    bias_correction1 = 1.0 - beta1**t
    bias_correction2 = 1.0 - beta2**t
    denom = np.sqrt(v) / np.sqrt(bias_correction2) + eps  # eps after the corrected square root
    param = param - (lr / bias_correction1) * m / denom
    return param, m, v
