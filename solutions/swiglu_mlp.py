"""Reference: the SwiGLU feed-forward block (Shazeer, 2020), with a silu that never overflows."""

import numpy as np


def _silu(z):
    """z * sigmoid(z), the sigmoid computed from exp(-|z|) so no exp() overflows."""
    e = np.exp(-np.abs(z))
    sigmoid = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return z * sigmoid


def swiglu_mlp(x, w_gate, w_up, w_down):
    """x (..., D); w_gate, w_up (D, F); w_down (F, D) -> (silu(x @ w_gate) * (x @ w_up)) @ w_down."""
    return (_silu(x @ w_gate) * (x @ w_up)) @ w_down
