"""Reference: forward and backward pass of a one-hidden-layer tanh MLP with MSE loss."""

import numpy as np


def mlp_forward_backward(x, y, w1, b1, w2, b2):
    """Return (loss, grads) where grads holds d loss / d w1, b1, w2, b2."""
    h = np.tanh(x @ w1 + b1)
    out = h @ w2 + b2
    diff = out - y
    loss = float(np.mean(diff**2))

    d_out = 2.0 * diff / diff.size  # the mean runs over all N*O elements
    d_w2 = h.T @ d_out
    d_b2 = d_out.sum(axis=0)
    d_h = d_out @ w2.T
    d_pre = d_h * (1.0 - h**2)  # tanh'(z) = 1 - tanh(z)^2
    d_w1 = x.T @ d_pre
    d_b1 = d_pre.sum(axis=0)
    return loss, {"w1": d_w1, "b1": d_b1, "w2": d_w2, "b2": d_b2}
