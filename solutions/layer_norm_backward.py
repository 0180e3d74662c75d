"""Reference: the backward pass of layer normalisation over the last axis."""

import numpy as np


def layer_norm_backward(dy, x, gamma, eps=1e-5):
    """(dx, dgamma, dbeta) of y = (x − mean)/√(var + eps)·gamma + beta, given dy = ∂L/∂y."""
    mean = x.mean(axis=-1, keepdims=True)
    inv_std = 1.0 / np.sqrt(x.var(axis=-1, keepdims=True) + eps)
    x_hat = (x - mean) * inv_std
    dbeta = dy.sum(axis=0)
    dgamma = (dy * x_hat).sum(axis=0)
    g = dy * gamma  # ∂L/∂x_hat
    # The mean and the variance depend on every element of the row: two correction terms.
    dx = inv_std * (g - g.mean(axis=-1, keepdims=True) - x_hat * (g * x_hat).mean(axis=-1, keepdims=True))
    return dx, dgamma, dbeta
