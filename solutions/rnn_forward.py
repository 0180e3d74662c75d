"""Reference: forward pass of a vanilla (Elman) RNN over a batch of sequences."""

import numpy as np


def rnn_forward(x, h0, w_xh, w_hh, b):
    """x (N,T,D), h0 (N,H) -> (states (N,T,H), last state (N,H))."""
    n, t_len, _ = x.shape
    states = np.empty((n, t_len, h0.shape[1]), dtype=np.result_type(x, h0, w_xh))
    # The input projection does not depend on the recurrence: do it for all steps at once.
    x_proj = x @ w_xh + b
    h = h0
    for t in range(t_len):
        h = np.tanh(x_proj[:, t] + h @ w_hh)
        states[:, t] = h
    return states, h
